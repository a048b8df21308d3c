// The voice scenarios on embedded PGlite through the SQL transport (what `npm run dev` uses).

import { freshPglitePort } from "../support/pglite";
import { defineVoiceScenarios } from "./voice-scenarios";

defineVoiceScenarios("voice on PGlite (SQL transport)", async () => {
  const { db, port } = await freshPglitePort();
  return {
    port,
    sql: async (text, params) => (await db.query<Record<string, unknown>>(text, params)).rows,
    cleanup: () => port.close(),
  };
});
