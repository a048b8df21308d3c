// lib/database.types.ts must be exactly what `supabase gen types typescript` makes from the
// migrated schema (docs/architecture.md, section 4): CI fails here when a migration changed without regenerating.

import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { generateTypes } from "../../scripts/lib/generate-types";
import { describeServer, TEST_DATABASE_URL } from "../support/server";

describeServer("generated database types", () => {
  it("lib/database.types.ts is byte for byte the CLI's output for the migrations", async () => {
    const generated = await generateTypes(TEST_DATABASE_URL ?? "");
    const committed = await readFile("lib/database.types.ts", "utf8");
    expect(generated.length, "the CLI generated nothing").toBeGreaterThan(0);
    expect(
      committed === generated,
      "lib/database.types.ts is out of date with supabase/migrations: run `npm run db:types` and commit the result.",
    ).toBe(true);
  });
});
