import { describe, expect, it } from "vitest";
import { listPersonas } from "@/lib/chat/service";
import { freshPglitePort } from "./support/pglite";

describe("embedded database", () => {
  it("serves the default personas from a migrated snapshot", async () => {
    const { db, port } = await freshPglitePort();
    const personas = await listPersonas({ db: port });
    expect(personas.map((p) => p.slug)).toEqual([
      "socrates",
      "captain-nova",
      "chef-remy",
      "zen-master-kai",
    ]);
    await db.close();
  });
});
