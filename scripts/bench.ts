// `npm run bench`: load test of the production build with the built-in persona engine.
//
// 20 concurrent guests each send 12 messages (2 over the default cap of 10) through the
// streaming API, first on the embedded default (PGlite) and then on a real Postgres server
// (DATABASE_URL, or a scratch database made on TEST_DATABASE_URL / the local server).
// Prints throughput, latency percentiles, database round trips per message (counted by the
// database port, read from /api/health), refused posts, and the server's peak memory.
// `npm run bench -- --soak`: GUESTS guests for BENCH_SOAK_MINUTES (10) in each mode, printing the
// server's memory over time, the errors by code and whether the memory stayed flat.
// `--no-build` reuses the last build in .next-bench.
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
// Reuses the last build in DIST (a second run on the same tree, or a soak after a bench).
const NO_BUILD = process.argv.includes("--no-build");
const SOAK_MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? 10);

type Sample = { firstByteMs: number; completeMs: number };
type Result = {
  mode: string;
  wallMs: number;
  exchanged: number;
  refused: number;
  otherErrors: number;
  byCode: Record<string, number>;
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

type Counters = {
  /** Replies streamed to the end without an error chunk. */
  exchanged: number;
  /** Posts refused with 429 guest_limit_reached (the guest cap). */
  refused: number;
  /** Every other failure: a non-2xx answer, an error chunk in the stream, a failed fetch. */
  other: number;
  /** HTTP requests answered (any status), the guests' gallery and conversation calls included. */
  requests: number;
  /** The failures and refusals by `<status> <code>`, `stream <code>` or `fetch <cause>`. */
  byCode: Record<string, number>;
  /** Guest sessions (conversations) started. */
  sessions: number;
};

function newCounters(): Counters {
  return { exchanged: 0, refused: 0, other: 0, requests: 0, byCode: {}, sessions: 0 };
}

function tally(counters: Counters, key: string): void {
  counters.byCode[key] = (counters.byCode[key] ?? 0) + 1;
}

/** `<status> <code>` of an answer that is not 2xx, from its `{"error": {"code"}}` body. */
async function errorKey(res: Response): Promise<string> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string } };
    return `${res.status} ${body.error?.code ?? "(no code)"}`;
  } catch {
    return `${res.status} (not JSON)`;
  }
}

/** The codes of the `error` chunks in a streamed reply (`data: {"type":"error",...}` lines). */
function streamErrorCodes(text: string): string[] {
  const codes: string[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("data: ") || !line.includes('"type":"error"')) continue;
    try {
      const chunk = JSON.parse(line.slice(6)) as { errorText?: string };
      codes.push((JSON.parse(chunk.errorText ?? "{}") as { code?: string }).code ?? "(no code)");
    } catch {
      codes.push("(unreadable)");
    }
  }
  return codes;
}

async function guest(
  samples: Sample[],
  counters: Counters,
  messages = MESSAGES,
  until = Number.POSITIVE_INFINITY,
) {
  // Each guest comes from an address of its own, as real visitors do: the per-address limits
  // (GUEST_SESSIONS_PER_IP_PER_HOUR, ...) are not what this measures. A bare `next start` keeps
  // a client-sent X-Forwarded-For, whose right-most entry the app reads.
  guests += 1;
  const address = {
    "x-forwarded-for": `10.${77 + Math.floor(guests / 62_500)}.${Math.floor(guests / 250) % 250}.${(guests % 250) + 1}`,
  };
  const listed = await fetch(`${BASE}/api/personas`, { headers: address });
  counters.requests += 1;
  if (!listed.ok) {
    counters.other += 1;
    tally(counters, await errorKey(listed));
    return;
  }
  const personas = (await listed.json()) as { personas: { id: string }[] };
  const persona = personas.personas[Math.floor(Math.random() * personas.personas.length)];
  const created = await fetch(`${BASE}/api/conversations`, {
    method: "POST",
    headers: { "content-type": "application/json", ...address },
    body: JSON.stringify({ personaId: persona?.id }),
  });
  counters.requests += 1;
  if (!created.ok) {
    counters.other += 1;
    tally(counters, await errorKey(created));
    return;
  }
  const cookie = (created.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const { conversation } = (await created.json()) as { conversation: { id: string } };
  counters.sessions += 1;
  for (let i = 0; i < messages && performance.now() < until; i++) {
    const started = performance.now();
    const res = await fetch(`${BASE}/api/conversations/${conversation.id}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, ...address },
      body: JSON.stringify({
        content: `Message ${i + 1}: what do you think about courage and cooking?`,
      }),
    });
    counters.requests += 1;
    if (!res.ok || !res.body) {
      const key = await errorKey(res);
      tally(counters, key);
      if (key === "429 guest_limit_reached") counters.refused += 1;
      else counters.other += 1;
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
    const codes = streamErrorCodes(text);
    if (codes.length > 0) {
      counters.other += 1;
      for (const code of codes) tally(counters, `stream ${code}`);
    } else counters.exchanged += 1;
    samples.push({ firstByteMs, completeMs: performance.now() - started });
  }
}

type RunningServer = {
  server: ChildProcess;
  peakRss: () => number;
  rss: () => number;
  /** The lowest and highest RSS sampled since the last call (bytes). */
  window: () => { min: number; max: number };
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
  let low = Number.POSITIVE_INFINITY;
  let high = 0;
  const sampler = setInterval(() => {
    if (server.pid) {
      last = treeRss(server.pid);
      peak = Math.max(peak, last);
      if (last > 0) low = Math.min(low, last);
      high = Math.max(high, last);
    }
  }, 50);
  const window = () => {
    const seen = { min: Number.isFinite(low) ? low : last, max: high };
    low = Number.POSITIVE_INFINITY;
    high = 0;
    return seen;
  };
  const stop = async () => {
    clearInterval(sampler);
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server.once("exit", r));
      server.kill("SIGTERM");
      await exited;
    }
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
  return { server, peakRss: () => peak, rss: () => last, window, stop };
}

async function benchMode(mode: string): Promise<Result> {
  const running = await startServer(mode);
  try {
    const before = await dbStats();
    const samples: Sample[] = [];
    const counters = newCounters();
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
      byCode: counters.byCode,
      samples,
      dbCalls: Object.values(byFunction).reduce((a, b) => a + b, 0),
      dbCallsByFunction: byFunction,
      peakRssMb: running.peakRss() / 1024 / 1024,
    };
  } finally {
    await running.stop();
  }
}

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxy = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return sxy / sxx;
}

/**
 * The soak's warm-up: the first half of the run, at least 2 minutes. In it the server's memory
 * climbs to its working size (V8's heap grows to what the load needs; in embedded mode PGlite's
 * WASM memory, which never shrinks, takes in its 128 MB shared_buffers as pages are touched).
 * The 2026-12-01 soak took 4-5 minutes to get there in both modes. A leak would keep going.
 */
const WARM_UP_MINUTES = Math.max(2, Math.floor(SOAK_MINUTES / 2));
/** Flat: after the warm-up, RSS grows by less than this share of its size per minute. */
const FLAT_SHARE_PER_MINUTE = 0.01;

/**
 * `--soak`: GUESTS guests for SOAK_MINUTES, each starting a new guest session (a new address, a
 * new conversation, the allowance's messages) as soon as the last one is used up. Prints the
 * server's memory every 30 s and the errors, then a per-minute table and the flatness figures:
 * RSS at the end of the warm-up against the end, and the least-squares slope after the warm-up
 * (of the RSS sampled every 30 s, and of each minute's lowest RSS, the floor GC returns to).
 */
async function soakMode(mode: string): Promise<void> {
  const running = await startServer(mode);
  const mb = (bytes: number) => bytes / 1024 / 1024;
  const counters = newCounters();
  const samples: Sample[] = [];
  type Tick = {
    minute: number;
    rssMb: number;
    minMb: number;
    maxMb: number;
    exchanged: number;
    other: number;
    requests: number;
  };
  const snapshot = (minute: number): Tick => {
    const seen = running.window();
    return {
      minute,
      rssMb: mb(running.rss()),
      minMb: mb(seen.min),
      maxMb: mb(seen.max),
      exchanged: counters.exchanged,
      other: counters.other,
      requests: counters.requests,
    };
  };
  const ticks: Tick[] = [snapshot(0)];
  console.log(
    `\n== soak, ${mode}: ${GUESTS} guests for ${SOAK_MINUTES} min (idle rss ${ticks[0]?.rssMb.toFixed(0)} MB) ==`,
  );
  const started = performance.now();
  const deadline = started + SOAK_MINUTES * 60_000;
  let half = 0;
  const ticker = setInterval(() => {
    half += 1;
    const tick = snapshot(half / 2);
    ticks.push(tick);
    console.log(
      `t=${tick.minute.toFixed(1)} min  rss ${tick.rssMb.toFixed(0)} MB (${tick.minMb.toFixed(0)}-${tick.maxMb.toFixed(0)})  exchanged ${counters.exchanged}  refused ${counters.refused}  errors ${counters.other}  requests ${counters.requests}`,
    );
  }, 30_000);
  const thrown: Record<string, number> = {};
  try {
    await Promise.all(
      Array.from({ length: GUESTS }, async () => {
        while (performance.now() < deadline) {
          try {
            await guest(samples, counters, 10, deadline);
          } catch (error) {
            // A failed fetch (the server closed the connection, ...) is an error to count, not
            // the end of the soak.
            counters.other += 1;
            const cause = (error as { cause?: { code?: string } }).cause?.code;
            const key = `fetch ${cause ?? (error as Error).message}`;
            thrown[key] = (thrown[key] ?? 0) + 1;
            tally(counters, key);
            await new Promise((r) => setTimeout(r, 1000));
          }
        }
      }),
    );
  } finally {
    clearInterval(ticker);
  }
  const wallMin = (performance.now() - started) / 60_000;
  const serverAlive = running.server.exitCode === null;
  await running.stop();

  // One row per whole minute: the RSS sampled at its end, the lowest and highest RSS in it, the
  // replies and errors in it.
  const rows: string[] = [];
  const floors: { x: number; y: number }[] = [];
  for (let m = 1; m <= SOAK_MINUTES; m++) {
    const end = ticks.find((t) => t.minute === m);
    const prev = ticks.find((t) => t.minute === m - 1);
    const inMinute = ticks.filter((t) => t.minute > m - 1 && t.minute <= m);
    if (!end || !prev || inMinute.length === 0) continue;
    const low = Math.min(...inMinute.map((t) => t.minMb));
    const high = Math.max(...inMinute.map((t) => t.maxMb));
    floors.push({ x: m, y: low });
    const replies = end.exchanged - prev.exchanged;
    rows.push(
      `| ${m} | ${end.rssMb.toFixed(0)} | ${low.toFixed(0)} - ${high.toFixed(0)} | ${replies} | ${(replies / 60).toFixed(1)} | ${end.requests - prev.requests} | ${end.other - prev.other} |`,
    );
  }
  const after = ticks.filter((t) => t.minute >= WARM_UP_MINUTES);
  const at2 = ticks.find((t) => t.minute === 2)?.rssMb ?? Number.NaN;
  const atWarm = ticks.find((t) => t.minute === WARM_UP_MINUTES)?.rssMb ?? Number.NaN;
  const atEnd = ticks.find((t) => t.minute === SOAK_MINUTES)?.rssMb ?? ticks.at(-1)?.rssMb;
  const rssSlope = slope(after.map((t) => ({ x: t.minute, y: t.rssMb })));
  const floorSlope = slope(floors.filter((f) => f.x > WARM_UP_MINUTES));
  const judged = Number.isFinite(rssSlope) && Number.isFinite(floorSlope);
  const flat =
    serverAlive && judged && Math.max(rssSlope, floorSlope) < FLAT_SHARE_PER_MINUTE * atWarm;
  const fb = samples.map((s) => s.firstByteMs);
  const done = samples.map((s) => s.completeMs);

  console.log(`\nsoak ${mode}, per minute (RSS in MB; replies/s over the minute):`);
  console.log("| minute | RSS at end | RSS low - high | replies | replies/s | requests | errors |");
  console.log("|---|---|---|---|---|---|---|");
  for (const row of rows) console.log(row);
  console.log(
    `soak ${mode}: ${wallMin.toFixed(1)} min, ${counters.sessions} guest sessions, ${counters.requests} requests answered, ${counters.exchanged} replies = ${(counters.exchanged / (wallMin * 60)).toFixed(1)} replies/s, ${counters.refused} refused, ${counters.other} errors`,
  );
  console.log(`soak ${mode}: refusals and errors by code ${JSON.stringify(counters.byCode)}`);
  console.log(
    `soak ${mode}: first byte p50/p95/p99 ${percentile(fb, 50).toFixed(0)} / ${percentile(fb, 95).toFixed(0)} / ${percentile(fb, 99).toFixed(0)} ms, complete reply ${percentile(done, 50).toFixed(0)} / ${percentile(done, 95).toFixed(0)} / ${percentile(done, 99).toFixed(0)} ms`,
  );
  console.log(
    `soak ${mode}: rss idle ${ticks[0]?.rssMb.toFixed(0)} MB, minute 2 ${at2.toFixed(0)} MB, minute ${WARM_UP_MINUTES} ${atWarm.toFixed(0)} MB, minute ${SOAK_MINUTES} ${atEnd?.toFixed(0)} MB, peak ${mb(running.peakRss()).toFixed(0)} MB; slope after the warm-up (minute ${WARM_UP_MINUTES} on): ${rssSlope.toFixed(2)} MB/min (30 s samples), ${floorSlope.toFixed(2)} MB/min (per-minute low)`,
  );
  console.log(
    `soak ${mode}: ${flat ? "FLAT" : judged ? "NOT FLAT" : `too short to judge (needs more than ${WARM_UP_MINUTES + 1} min)`} (flat = the server stayed up and both slopes are under ${(FLAT_SHARE_PER_MINUTE * 100).toFixed(0)}% of the minute-${WARM_UP_MINUTES} RSS per minute, i.e. ${(FLAT_SHARE_PER_MINUTE * atWarm).toFixed(1)} MB/min)`,
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
  console.log(`refusals and errors, codes ${JSON.stringify(r.byCode)}`);
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
  if (NO_BUILD) console.log(`Reusing the production build in ${DIST} (--no-build).`);
  else {
    console.log(`Building the production app into ${DIST} ...`);
    await run(
      process.execPath,
      [path.join("node_modules", "next", "dist", "bin", "next"), "build"],
      { ...process.env, NEXT_DIST_DIR: DIST, NEXT_TELEMETRY_DISABLED: "1" },
    );
  }
  for (const mode of MODES) {
    if (SOAK) await soakMode(mode);
    else report(await benchMode(mode));
  }
}

await main();
