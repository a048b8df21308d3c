// The embedded database serves the default personas from a migrated snapshot.

import { describe, expect, it } from "vitest";
import { listPersonas } from "@/lib/chat/service";
import { withDatabase } from "./support/database";
import { freshPglitePort } from "./support/pglite";

describe("embedded database", () => {
  it("serves the default personas from a migrated snapshot", async () => {
    const { db, port } = await freshPglitePort();
    const personas = await withDatabase(port, listPersonas);
    expect(personas.map((p) => p.slug)).toEqual([
      "socrates",
      "captain-nova",
      "chef-remy",
      "zen-master-kai",
    ]);
    await db.close();
  });
});
