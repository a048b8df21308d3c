// Issue 9, finding 1, against the production build: a second `next start` on the PGLITE_DIR the
// e2e server already serves (a rolling restart that starts the new process before stopping the
// old) stops at start-up with one sentence, before it serves anything; the first server keeps
// serving, with nothing lost.

import { spawn } from "node:child_process";
import { expect, test } from "@playwright/test";
import { getConversation, postMessage, startConversation } from "./support/api-client";

const PORT = Number(process.env.E2E_PORT ?? 3100);
/** Outside the harness's own ports (E2E_PORT to E2E_PORT + 5). */
const SECOND_PORT = PORT + 6;
const distDir = process.env.NEXT_DIST_DIR ?? ".next-e2e";
const dataDir = process.env.E2E_DATA_DIR ?? ".data/e2e";

type Exit = { code: number | null; stdout: string; stderr: string; answeredHealth: boolean };

/** Starts the same build once more on the same folder; resolves when it exits (or 90 s pass). */
function startSecondServer(): Promise<Exit> {
  const child = spawn("npx", ["next", "start", "-p", String(SECOND_PORT), "-H", "127.0.0.1"], {
    env: {
      ...process.env,
      NEXT_DIST_DIR: distDir,
      NEXT_TELEMETRY_DISABLED: "1",
      PGLITE_DIR: `${dataDir}/pglite`,
      DATABASE_URL: "",
      NEXT_PUBLIC_SUPABASE_URL: "",
      NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: "",
      NEXT_PUBLIC_SUPABASE_ANON_KEY: "",
      SUPABASE_SECRET_KEY: "",
      SUPABASE_SERVICE_ROLE_KEY: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let answeredHealth = false;
  // Whether it ever served a request while it ran.
  const probe = setInterval(async () => {
    try {
      const response = await fetch(`http://127.0.0.1:${SECOND_PORT}/api/health`);
      if (response.ok) answeredHealth = true;
    } catch {
      // Not listening (yet, or any more).
    }
  }, 200);
  const giveUp = setTimeout(() => child.kill("SIGTERM"), 90_000);
  return new Promise((resolve) =>
    child.once("exit", (code) => {
      clearInterval(probe);
      clearTimeout(giveUp);
      resolve({ code, stdout, stderr, answeredHealth });
    }),
  );
}

test("a second server on the same PGLITE_DIR stops at start-up; the first keeps serving", async ({
  request,
}) => {
  test.setTimeout(150_000);
  const conversation = await startConversation(request);
  expect((await postMessage(request, conversation.id, "Before the restart.")).status()).toBe(200);

  const second = await startSecondServer();
  const sentence = second.stderr
    .split("\n")
    .find((line) => line.startsWith("Persona Chat cannot start:"));
  console.log(`second server: exit ${second.code}; ${sentence}`);
  expect(second.code).toBe(1);
  expect(sentence).toMatch(
    /^Persona Chat cannot start: The embedded database in .*pglite is in use by another process \(pid \d+ on .+\): stop that process first, or set PGLITE_DIR to another folder\.$/,
  );
  expect(second.answeredHealth).toBe(false);

  // The first server never noticed: what it had is there, and it takes new writes.
  expect((await postMessage(request, conversation.id, "After the attempt.")).status()).toBe(200);
  const detail = await getConversation(request, conversation.id);
  expect(detail.messages.map((m) => [m.role, m.role === "user" ? m.content : "…"])).toEqual([
    ["user", "Before the restart."],
    ["assistant", "…"],
    ["user", "After the attempt."],
    ["assistant", "…"],
  ]);
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
});
