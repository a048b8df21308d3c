// Opens the database when the server starts (instrumentation.ts). In embedded mode this takes
// the data folder's lock and applies the migrations, so a second process on the same folder
// stops here, with one sentence, before it serves anything.

import "server-only";
import { stopStartup } from "@/lib/config";
import { getDb } from "./index";
import { DataDirInUseError } from "./pglite";

export async function openDatabaseAtStartup(): Promise<void> {
  try {
    await getDb();
  } catch (error) {
    if (
      error instanceof DataDirInUseError ||
      (error as Error | null)?.name === "DataDirInUseError"
    ) {
      stopStartup((error as Error).message);
    }
    // Anything else (a database that is down) is answered per request with 503 until it is back.
    console.error("[db] could not open the database at start-up", error);
  }
}
