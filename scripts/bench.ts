// `npm run bench`: load test of the production build with the built-in persona engine.
//
// 20 concurrent guests each send 12 messages (2 over the default cap of 10) through the
// streaming API, first on the embedded default (PGlite) and then on a real Postgres server
// (DATABASE_URL, or a scratch database made on TEST_DATABASE_URL / the local server).
// Prints throughput, latency percentiles, database round trips per message (counted by the
// database port, read from /api/health), refused posts, and the server's peak memory.
// `npm run bench -- --soak`: GUESTS guests for BENCH_SOAK_MINUTES (10) in each mode, printing the
// server's memory over time and the errors.
// Figures only: nothing here asserts a time, because the machines are shared and noisy.

import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { benchPglite } from "./bench-pglite";
import { benchSpeech } from "./bench-speech";
import { pushToFreshDatabase } from "./lib/generate-types";

const GUESTS = Number(process.env.BENCH_GUESTS ?? 20);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 12);
const PORT = Number(process.env.BENCH_PORT ?? 3500);
const DIST = ".next-bench";
const BASE = `http://127.0.0.1:${PORT}`;
// Unlocks /api/health's call counts for the server this script starts.
const HEALTH_TOKEN = "bench-health-token-0123456789abcdef";
const HEALTH = { headers: { authorization: `Bearer ${HEALTH_TOKEN}` } };
const MODES = (process.env.BENCH_MODES ?? "embedded,postgres").split(",");
const SOAK = process.argv.includes("--soak");
const SOAK_MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? 10);

type Sample = { firstByteMs: number; completeMs: number };
type Result = {
  mode: string;
  wallMs: number;
  exchanged: number;
  refused: number;
  otherErrors: number;
  samples: Sample[];
  dbCalls: number;
  dbCallsByFunction: Record<string, number>;
  peakRssMb: number;
};

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ["ignore", "inherit", "inherit"] });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}`)),
    );
  });
}

/** The resident memory of a process and its children, in bytes (Linux /proc). */
function treeRss(pid: number): number {
  let total = 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    if (m?.[1]) total += Number(m[1]) * 1024;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    for (const child of children ? children.split(/\s+/) : []) total += treeRss(Number(child));
  } catch {
    // The process ended between the reads.
  }
  return total;
}

async function waitForHealth(server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error("The server exited during start-up.");
    try {
      const res = await fetch(`${BASE}/api/health`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("The server did not become healthy in 120 s.");
}

async function dbStats(): Promise<{ calls: number; byFunction: Record<string, number> }> {
  const res = await fetch(`${BASE}/api/health`, HEALTH);
  const body = (await res.json()) as { db: { calls: number; byFunction: Record<string, number> } };
  return body.db;
}

let guests = 0;

async function guest(
  samples: Sample[],
  counters: { exchanged: number; refused: number; other: number },
  messages = MESSAGES,
) {
  // Each guest comes from an address of its own, as real visitors do: the per-address limits
  // (GUEST_SESSIONS_PER_IP_PER_HOUR, ...) are not what this measures. A bare `next start` keeps
  // a client-sent X-Forwarded-For, whose right-most entry the app reads.
  guests += 1;
  const address = { "x-forwarded-for": `10.77.${Math.floor(guests / 250)}.${guests % 250}` };
  const personas = (await (await fetch(`${BASE}/api/personas`, { headers: address })).json()) as {
    personas: { id: string }[];
  };
  const persona = personas.personas[Math.floor(Math.random() * personas.personas.length)];
  const created = await fetch(`${BASE}/api/conversations`, {
    method: "POST",
    headers: { "content-type": "application/json", ...address },
    body: JSON.stringify({ personaId: persona?.id }),
  });
  const cookie = (created.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const { conversation } = (await created.json()) as { conversation: { id: string } };
  for (let i = 0; i < messages; i++) {
    const started = performance.now();
    const res = await fetch(`${BASE}/api/conversations/${conversation.id}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, ...address },
      body: JSON.stringify({
        content: `Message ${i + 1}: what do you think about courage and cooking?`,
      }),
    });
    if (res.status === 429) {
      counters.refused += 1;
      await res.arrayBuffer();
      continue;
    }
    if (!res.ok || !res.body) {
      counters.other += 1;
      await res.arrayBuffer();
      continue;
    }
    let firstByteMs = Number.NaN;
    let text = "";
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (Number.isNaN(firstByteMs)) firstByteMs = performance.now() - started;
      text += decoder.decode(value, { stream: true });
    }
    if (text.includes('"type":"error"')) counters.other += 1;
    else counters.exchanged += 1;
    samples.push({ firstByteMs, completeMs: performance.now() - started });
  }
}

type RunningServer = {
  server: ChildProcess;
  peakRss: () => number;
  rss: () => number;
  stop: () => Promise<void>;
};

/** Starts the production server for a mode (a fresh PGlite folder, or a scratch database). */
async function startServer(mode: string): Promise<RunningServer> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_DIST_DIR: DIST,
    NEXT_TELEMETRY_DISABLED: "1",
    GUEST_MESSAGE_LIMIT: "10",
    HEALTH_TOKEN,
    BUILTIN_ENGINE_DELAY_MS: process.env.BUILTIN_ENGINE_DELAY_MS ?? "5",
    NEXT_PUBLIC_SUPABASE_URL: "",
    NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: "",
    NEXT_PUBLIC_SUPABASE_ANON_KEY: "",
    SUPABASE_SECRET_KEY: "",
    SUPABASE_SERVICE_ROLE_KEY: "",
    AI_BASE_URL: "",
    AI_MODEL: "",
    REPLY_FAULT_INJECTION: "",
  };
  let dropScratch: (() => Promise<void>) | undefined;
  if (mode === "embedded") {
    env.DATABASE_URL = "";
    env.PGLITE_DIR = ".data/bench/pglite";
    await rm(".data/bench", { recursive: true, force: true });
  } else {
    let url = process.env.DATABASE_URL;
    if (!url) {
      const server =
        process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
      const scratch = await pushToFreshDatabase(server, "bench");
      url = scratch.url;
      dropScratch = scratch.drop;
    }
    env.DATABASE_URL = url;
    env.APP_SECRET = process.env.APP_SECRET ?? "bench-secret-bench-secret-bench-secret-0123";
  }

  const server = spawn(
    process.execPath,
    [
      path.join("node_modules", "next", "dist", "bin", "next"),
      "start",
      "-p",
      String(PORT),
      "-H",
      "127.0.0.1",
    ],
    { env, stdio: ["ignore", "ignore", "inherit"] },
  );
  let peak = 0;
  let last = 0;
  const sampler = setInterval(() => {
    if (server.pid) {
      last = treeRss(server.pid);
      peak = Math.max(peak, last);
    }
  }, 50);
  const stop = async () => {
    clearInterval(sampler);
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    await dropScratch?.();
  };
  try {
    await waitForHealth(server);
    // Warm up: one request per route, so the figures measure steady state, not compilation.
    await fetch(`${BASE}/api/personas`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { server, peakRss: () => peak, rss: () => last, stop };
}

async function benchMode(mode: string): Promise<Result> {
  const running = await startServer(mode);
  try {
    const before = await dbStats();
    const samples: Sample[] = [];
    const counters = { exchanged: 0, refused: 0, other: 0 };
    const started = performance.now();
    await Promise.all(Array.from({ length: GUESTS }, () => guest(samples, counters)));
    const wallMs = performance.now() - started;
    const after = await dbStats();
    const byFunction: Record<string, number> = {};
    for (const [fn, n] of Object.entries(after.byFunction)) {
      const delta = n - (before.byFunction[fn] ?? 0);
      // /api/health itself calls list_personas; the guests' own gallery loads are counted too.
      if (delta > 0) byFunction[fn] = delta;
    }
    return {
      mode,
      wallMs,
      exchanged: counters.exchanged,
      refused: counters.refused,
      otherErrors: counters.other,
      samples,
      dbCalls: Object.values(byFunction).reduce((a, b) => a + b, 0),
      dbCallsByFunction: byFunction,
      peakRssMb: running.peakRss() / 1024 / 1024,
    };
  } finally {
    await running.stop();
  }
}

/**
 * `--soak`: GUESTS guests for SOAK_MINUTES, each starting a new guest session (a new address, a
 * new conversation, the allowance's messages) as soon as the last one is used up. Prints the
 * server's memory every 30 s and the errors; flat memory means no leak per conversation.
 */
async function soakMode(mode: string): Promise<void> {
  const running = await startServer(mode);
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  const counters = { exchanged: 0, refused: 0, other: 0 };
  const samples: Sample[] = [];
  const rss: { minute: number; mb: number }[] = [];
  const started = performance.now();
  const deadline = started + SOAK_MINUTES * 60_000;
  console.log(`\n== soak, ${mode}: ${GUESTS} guests for ${SOAK_MINUTES} min ==`);
  const ticker = setInterval(() => {
    const minute = (performance.now() - started) / 60_000;
    rss.push({ minute, mb: running.rss() / 1024 / 1024 });
    console.log(
      `t=${minute.toFixed(1)} min  rss ${mb(running.rss())} MB  exchanged ${counters.exchanged}  refused ${counters.refused}  errors ${counters.other}`,
    );
  }, 30_000);
  try {
    await Promise.all(
      Array.from({ length: GUESTS }, async () => {
        while (performance.now() < deadline) await guest(samples, counters, 10);
      }),
    );
  } finally {
    clearInterval(ticker);
    await running.stop();
  }
  const firstMinute = rss.filter((r) => r.minute <= 2).map((r) => r.mb);
  const lastMinute = rss.filter((r) => r.minute >= SOAK_MINUTES - 2).map((r) => r.mb);
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
  console.log(
    `soak ${mode}: ${counters.exchanged} messages, ${counters.other} errors, ${counters.refused} refused; rss first 2 min ${avg(firstMinute).toFixed(0)} MB, last 2 min ${avg(lastMinute).toFixed(0)} MB, peak ${mb(running.peakRss())} MB`,
  );
}

function report(r: Result): void {
  const fb = r.samples.map((s) => s.firstByteMs);
  const done = r.samples.map((s) => s.completeMs);
  const messagePath =
    (r.dbCallsByFunction.post_user_message ?? 0) -
    r.refused +
    (r.dbCallsByFunction.save_assistant_message ?? 0);
  const fmt = (n: number) => n.toFixed(1);
  console.log(`\n== ${r.mode} ==`);
  console.log(`guests x messages          ${GUESTS} x ${MESSAGES}`);
  console.log(
    `messages exchanged         ${r.exchanged} in ${fmt(r.wallMs / 1000)} s = ${fmt(r.exchanged / (r.wallMs / 1000))} msg/s`,
  );
  console.log(
    `first byte p50/p95/p99     ${fmt(percentile(fb, 50))} / ${fmt(percentile(fb, 95))} / ${fmt(percentile(fb, 99))} ms`,
  );
  console.log(
    `complete reply p50/p95/p99 ${fmt(percentile(done, 50))} / ${fmt(percentile(done, 95))} / ${fmt(percentile(done, 99))} ms`,
  );
  console.log(
    `refused over the cap       ${r.refused} (${fmt(r.refused / GUESTS)} per guest; expected ${Math.max(MESSAGES - 10, 0)})`,
  );
  console.log(`other errors               ${r.otherErrors}`);
  console.log(`db round trips, all        ${r.dbCalls} = ${JSON.stringify(r.dbCallsByFunction)}`);
  console.log(
    `db round trips per message ${fmt(messagePath / Math.max(r.exchanged, 1))} (post + save per exchanged message)`,
  );
  console.log(
    `db round trips per request ${fmt(r.dbCalls / Math.max(r.exchanged + r.refused + GUESTS * 2, 1))} (every API call incl. refused posts)`,
  );
  console.log(`server peak memory (RSS)   ${fmt(r.peakRssMb)} MB`);
}

async function main() {
  if (!SOAK) {
    await benchPglite();
    await benchSpeech();
  }
  console.log(`Building the production app into ${DIST} ...`);
  await run(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "build"], {
    ...process.env,
    NEXT_DIST_DIR: DIST,
    NEXT_TELEMETRY_DISABLED: "1",
  });
  for (const mode of MODES) {
    if (SOAK) await soakMode(mode);
    else report(await benchMode(mode));
  }
}

await main();
