// Playwright's voice web server: the ElevenLabs stand-in (./elevenlabs-e2e-stand-in.ts), and the
// production build (the one the first web server built and started) served again with
// ELEVENLABS_API_KEY, ELEVENLABS_BASE_URL and ELEVENLABS_AGENT_ID pointing at it, on an embedded
// database of its own. Waits for the first server, since the build is its.

import { spawn } from "node:child_process";
import { E2E_PORTS } from "./e2e-ports";
import { startElevenLabsE2EStandIn } from "./elevenlabs-e2e-stand-in";
import { VOICE_AGENT_ID, VOICE_API_KEY, VOICE_PORTS } from "./voice-e2e";

const dataDir = process.env.E2E_DATA_DIR ?? ".data/e2e";

async function waitForBuild(): Promise<void> {
  const health = `http://127.0.0.1:${E2E_PORTS.app}/api/health`;
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      if ((await fetch(health)).ok) return;
    } catch {
      // Not up yet: the first server is still building.
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`${health} did not answer within 10 minutes.`);
}

const standIn = await startElevenLabsE2EStandIn({
  httpPort: VOICE_PORTS.elevenlabs,
  agentsPort: VOICE_PORTS.agents,
  apiKey: VOICE_API_KEY,
});
console.log(`[elevenlabs stand-in] ${standIn.url}`);
await waitForBuild();

const app = spawn("npx", ["next", "start", "-p", String(VOICE_PORTS.app), "-H", "127.0.0.1"], {
  stdio: "inherit",
  env: {
    ...process.env,
    PGLITE_DIR: `${dataDir}/pglite-voice`,
    AI_BASE_URL: "",
    AI_MODEL: "",
    BUILTIN_ENGINE_DELAY_MS: "15",
    ELEVENLABS_API_KEY: VOICE_API_KEY,
    ELEVENLABS_BASE_URL: standIn.url,
    ELEVENLABS_AGENT_ID: VOICE_AGENT_ID,
  },
});

async function stop(code: number) {
  app.kill("SIGTERM");
  await standIn.close();
  process.exit(code);
}
app.once("exit", (code) => void stop(code ?? 1));
process.once("SIGTERM", () => void stop(0));
process.once("SIGINT", () => void stop(0));
