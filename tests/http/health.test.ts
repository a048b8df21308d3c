// GET /api/health on a migrated PGlite database: readiness for anyone, the database port's call
// counts only with `Authorization: Bearer <HEALTH_TOKEN>`, and never when no token is set.

import type { PGlite } from "@electric-sql/pglite";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/health/route";
import { setConfigForTests } from "@/lib/config";
import { setDbForTests } from "@/lib/db";
import { freshPglitePort } from "../support/pglite";

const TOKEN = "health-token-for-tests-0123456789";
let pglite: PGlite;

beforeAll(async () => {
  const fresh = await freshPglitePort();
  pglite = fresh.db;
  setDbForTests(fresh.port);
});

afterAll(async () => {
  setDbForTests(undefined);
  await pglite.close();
});

afterEach(() => {
  setConfigForTests(undefined);
});

function configure(healthToken?: string) {
  setConfigForTests({
    APP_SECRET: "health-tests-secret-health-tests-secret",
    HEALTH_TOKEN: healthToken,
  });
}

async function health(authorization?: string) {
  const response = await GET(
    new Request("http://app.test/api/health", {
      headers: authorization ? { authorization } : {},
    }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("GET /api/health", () => {
  it("without a token answers readiness only", async () => {
    configure(TOKEN);
    expect(await health()).toEqual({ status: 200, body: { ok: true, mode: "embedded" } });
  });

  it.each([
    ["a wrong token", `Bearer ${TOKEN.slice(0, -1)}x`],
    ["a prefix of the token", `Bearer ${TOKEN.slice(0, 8)}`],
    ["the token plus more", `Bearer ${TOKEN}x`],
    ["the token without Bearer", TOKEN],
    ["Basic auth", `Basic ${Buffer.from(`a:${TOKEN}`).toString("base64")}`],
  ])("with %s answers readiness only", async (_label, authorization) => {
    configure(TOKEN);
    expect((await health(authorization)).body).toEqual({ ok: true, mode: "embedded" });
  });

  it("with the token adds the port's call counts", async () => {
    configure(TOKEN);
    const { status, body } = await health(`Bearer ${TOKEN}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, mode: "embedded" });
    const db = body.db as { calls: number; byFunction: Record<string, number> };
    expect(db.calls).toBeGreaterThan(0);
    expect(db.byFunction.list_personas).toBeGreaterThan(0);
    // The bench reads these counts: each health call is one more list_personas.
    const again = (await health(`bearer ${TOKEN}`)).body.db as typeof db;
    expect(again.byFunction.list_personas).toBe((db.byFunction.list_personas ?? 0) + 1);
  });

  it("with HEALTH_TOKEN unset, nothing unlocks the details", async () => {
    configure(undefined);
    for (const authorization of [undefined, "Bearer ", "Bearer undefined", "Bearer null"]) {
      expect((await health(authorization)).body).toEqual({ ok: true, mode: "embedded" });
    }
  });

  it("answers another method with 405 in JSON", async () => {
    const response = POST(new Request("http://app.test/api/health", { method: "POST" }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect((await response.json()).error.code).toBe("method_not_allowed");
  });
});
