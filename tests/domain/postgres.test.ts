// The domain scenarios on the real PostgreSQL server (migrated by the Supabase CLI) through the
// SQL transport over `pg`, as postgres mode runs them.

import { describe, it } from "vitest";
import { listPersonas } from "@/lib/chat/service";
import { withDatabase } from "../support/database";
import { describeServer, migratedServerDatabase, serverPort } from "../support/server";
import { defineDomainScenarios, expectAppError } from "./scenarios";

describeServer("real PostgreSQL server", () => {
  defineDomainScenarios("domain on PostgreSQL (SQL transport over pg)", async () => {
    const scratch = await migratedServerDatabase("domain");
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

describe("an unreachable database", () => {
  it("is a 503 service_unavailable, not a 500", async () => {
    // Nothing listens on port 1: the connection is refused at once.
    const { port } = serverPort("postgresql://postgres@127.0.0.1:1/nowhere", 1);
    try {
      await expectAppError(withDatabase(port, listPersonas), "service_unavailable");
    } finally {
      await port.close();
    }
  });
});
