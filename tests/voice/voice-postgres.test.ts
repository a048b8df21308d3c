// The voice scenarios on the real PostgreSQL server (migrated by the Supabase CLI) through the
// SQL transport over `pg`, as postgres mode runs them.

import { describeServer, migratedServerDatabase, serverPort } from "../support/server";
import { defineVoiceScenarios } from "./voice-scenarios";

describeServer("real PostgreSQL server", () => {
  defineVoiceScenarios("voice on PostgreSQL (SQL transport over pg)", async () => {
    const scratch = await migratedServerDatabase("voice");
    const { port, pool } = serverPort(scratch.url);
    return {
      port,
      sql: async (text, params) => (await pool.query(text, params)).rows,
      cleanup: async () => {
        await port.close();
        await scratch.drop();
      },
    };
  });
});
