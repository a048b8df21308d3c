// APP_SECRET: from the environment, or in embedded mode generated once and kept in a file named
// `app-secret` next to the PGlite folder (.data/app-secret by default).

import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getConfig } from "@/lib/config";

let cached: string | undefined;

/** Where embedded mode keeps its generated secret (in-memory PGlite: the default .data/). */
export function appSecretFile(pgliteDir: string): string {
  const dir = pgliteDir.startsWith("memory://") ? ".data/pglite" : pgliteDir;
  return path.join(path.dirname(path.resolve(dir)), "app-secret");
}

function readOrCreate(file: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    try {
      // `wx`: if another worker wrote it first, use theirs.
      writeFileSync(file, secret, { flag: "wx", mode: 0o600 });
      return secret;
    } catch {
      return readFileSync(file, "utf8").trim();
    }
  }
}

export function getAppSecret(): string {
  if (cached) return cached;
  const config = getConfig();
  // Embedded mode only falls through (lib/config.ts refuses other modes without APP_SECRET).
  const file = appSecretFile(config.pgliteDir);
  const secret = config.appSecret ?? readOrCreate(file);
  if (secret.length < 32)
    throw new Error(`The APP_SECRET in ${file} is too short; delete the file.`);
  cached = secret;
  return cached;
}
