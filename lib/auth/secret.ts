// APP_SECRET: from the environment, or in embedded mode generated once and kept in .data/.

import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getConfig } from "@/lib/config";

let cached: string | undefined;

export function getAppSecret(): string {
  if (cached) return cached;
  const config = getConfig();
  if (config.appSecret) {
    cached = config.appSecret;
    return cached;
  }
  // Embedded mode only (lib/config.ts refuses other modes without APP_SECRET).
  const file = path.join(path.dirname(path.resolve(config.pgliteDir)), "app-secret");
  try {
    cached = readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    try {
      // `wx`: if another worker wrote it first, use theirs.
      writeFileSync(file, secret, { flag: "wx", mode: 0o600 });
      cached = secret;
    } catch {
      cached = readFileSync(file, "utf8").trim();
    }
  }
  if (!cached || cached.length < 32)
    throw new Error(`The generated APP_SECRET in ${file} is invalid; delete it.`);
  return cached;
}
