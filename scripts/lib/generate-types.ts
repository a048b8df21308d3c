// Generates the database types from a freshly migrated scratch database (shared by
// `npm run db:types` and the drift test).

import pg from "pg";
import { readCompatSql } from "../../lib/db/migrations";
import { cliDbPush, cliGenTypes, createScratchDatabase } from "./supabase-cli";

export async function pushToFreshDatabase(serverUrl: string, prefix = "types") {
  const scratch = await createScratchDatabase(serverUrl, prefix);
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  try {
    await client.query(await readCompatSql());
  } finally {
    await client.end();
  }
  await cliDbPush(scratch.url);
  return scratch;
}

export async function generateTypes(serverUrl: string): Promise<string> {
  const scratch = await pushToFreshDatabase(serverUrl);
  try {
    return await cliGenTypes(scratch.url);
  } finally {
    await scratch.drop();
  }
}
