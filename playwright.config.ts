import { defineConfig, devices } from "@playwright/test";
import { E2E_PORTS } from "./e2e/support/e2e-ports";
import { VOICE_CHROMIUM_ARGS, VOICE_PORTS, VOICE_SPECS } from "./e2e/support/voice-e2e";

// End-to-end tests run against the production build on the embedded default (a fresh PGlite
// folder each run), in Debian's Chromium. E2E_PORT / NEXT_DIST_DIR / E2E_DATA_DIR let several
// builds run side by side. The same build is served a second time with its replies from a
// stand-in OpenAI-compatible model that streams Markdown (project "markdown").
const port = E2E_PORTS.app;
const distDir = process.env.NEXT_DIST_DIR ?? ".next-e2e";
const dataDir = process.env.E2E_DATA_DIR ?? ".data/e2e";
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Specs that need the model stand-in's replies. */
const MARKDOWN_SPECS = /markdown-replies\.spec\.ts$/;

// The e2e servers are always the embedded default, whatever the calling shell has set.
const EMBEDDED = {
  NEXT_DIST_DIR: distDir,
  NEXT_TELEMETRY_DISABLED: "1",
  DATABASE_URL: "",
  NEXT_PUBLIC_SUPABASE_URL: "",
  NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: "",
  NEXT_PUBLIC_SUPABASE_ANON_KEY: "",
  SUPABASE_SECRET_KEY: "",
  SUPABASE_SERVICE_ROLE_KEY: "",
  // Every spec's browser comes from 127.0.0.1: the per-address limits would otherwise stop the
  // suite itself. The limits have tests of their own (tests/domain, with distinct addresses).
  GUEST_SESSIONS_PER_IP_PER_HOUR: "10000",
  GUEST_MESSAGES_PER_IP_PER_DAY: "100000",
  SIGNUPS_PER_IP_PER_HOUR: "10000",
};

const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

// --- Voice (e2e/*voice*.spec.ts) -----------------------------------------------------------------
// The same build served once more with ElevenLabs pointing at its stand-in (speech-to-text, the
// Agents signed URL, the Agents WebSocket and transcripts; e2e/support/voice-app-server.ts), and
// Chromium with a fake microphone playing e2e/fixtures/fake-microphone.wav.
const voiceProject = {
  name: "voice",
  testMatch: VOICE_SPECS,
  use: {
    ...devices["Desktop Chrome"],
    channel: undefined,
    baseURL: `http://127.0.0.1:${VOICE_PORTS.app}`,
    launchOptions: { executablePath: chromium, args: [...chromiumArgs, ...VOICE_CHROMIUM_ARGS] },
  },
};
const voiceServer = {
  command: "npx tsx e2e/support/voice-app-server.ts",
  url: `http://127.0.0.1:${VOICE_PORTS.app}/api/health`,
  timeout: 600_000,
  reuseExistingServer: false,
  stdout: "pipe" as const,
  stderr: "pipe" as const,
  env: { ...EMBEDDED, E2E_DATA_DIR: dataDir },
};
// -------------------------------------------------------------------------------------------------

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: chromiumArgs,
    },
  },
  projects: [
    {
      name: "chromium",
      testIgnore: [MARKDOWN_SPECS, VOICE_SPECS],
      use: { ...devices["Desktop Chrome"], channel: undefined },
    },
    {
      name: "markdown",
      testMatch: MARKDOWN_SPECS,
      use: {
        ...devices["Desktop Chrome"],
        channel: undefined,
        baseURL: `http://127.0.0.1:${E2E_PORTS.markdownApp}`,
      },
    },
    voiceProject,
  ],
  webServer: [
    {
      command: `rm -rf ${dataDir} && npx next build && npx next start -p ${port} -H 127.0.0.1`,
      url: `http://127.0.0.1:${port}/api/health`,
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        ...EMBEDDED,
        PGLITE_DIR: `${dataDir}/pglite`,
        REPLY_FAULT_INJECTION: "1",
        BUILTIN_ENGINE_DELAY_MS: "15",
        AI_BASE_URL: "",
        AI_MODEL: "",
      },
    },
    {
      // The same build again (it waits for the first server), answering through the stand-in
      // model it starts; its own PGlite folder under E2E_DATA_DIR.
      command: "npx tsx e2e/support/markdown-app-server.ts",
      url: `http://127.0.0.1:${E2E_PORTS.markdownApp}/api/health`,
      timeout: 600_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: { ...EMBEDDED, E2E_DATA_DIR: dataDir },
    },
    voiceServer,
  ],
});
