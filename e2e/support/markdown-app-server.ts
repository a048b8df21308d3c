// Playwright's second web server: the Markdown stand-in model, and the production build (the one
// the first web server built and started) served again with AI_BASE_URL pointing at it, on an
// embedded database of its own. Waits for the first server, since the build is its.

import { spawn } from "node:child_process";
import { E2E_PORTS } from "./e2e-ports";
import { startMarkdownModel } from "./markdown-model-stand-in";

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

const model = await startMarkdownModel(E2E_PORTS.markdownModel);
console.log(`[markdown stand-in] ${model.url}/v1`);
await waitForBuild();

const app = spawn(
  "npx",
  ["next", "start", "-p", String(E2E_PORTS.markdownApp), "-H", "127.0.0.1"],
  {
    stdio: "inherit",
    env: {
      ...process.env,
      PGLITE_DIR: `${dataDir}/pglite-markdown`,
      AI_BASE_URL: `${model.url}/v1`,
      AI_MODEL: "markdown-stand-in",
      AI_API_KEY: "stand-in-key",
    },
  },
);

async function stop(code: number) {
  app.kill("SIGTERM");
  await model.close();
  process.exit(code);
}
app.once("exit", (code) => void stop(code ?? 1));
process.once("SIGTERM", () => void stop(0));
process.once("SIGINT", () => void stop(0));
