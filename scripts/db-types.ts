// `npm run db:types`: regenerates lib/database.types.ts with `supabase gen types typescript`
// from a scratch database that the real CLI migrated (compat SQL first, then `supabase db push`).
// Needs a Postgres server: DB_TYPES_SERVER_URL, else TEST_DATABASE_URL, else the local default.

import { writeFile } from "node:fs/promises";
import { generateTypes } from "./lib/generate-types";

const server =
  process.env.DB_TYPES_SERVER_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgresql://postgres@127.0.0.1:5432/postgres";

const types = await generateTypes(server);
await writeFile("lib/database.types.ts", types);
console.log(`lib/database.types.ts written (${types.split("\n").length} lines)`);
