// Reads the environment once and chooses the mode (DESIGN section 3). A bad setting stops
// start-up with one clear sentence (ConfigError), never a stack trace.

import { z } from "zod";

export type Mode = "supabase" | "postgres" | "embedded";

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export type AppConfig = {
  mode: Mode;
  guestMessageLimit: number;
  /** Signs guest cookies and local sessions. Null in embedded mode until lib/auth/secret.ts makes one. */
  appSecret: string | null;
  databaseUrl: string | null;
  pgliteDir: string;
  supabase: { url: string; publishableKey: string; secretKey: string } | null;
  production: boolean;
};

const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;
const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());

const EnvSchema = z.object({
  NEXT_PUBLIC_SUPABASE_URL: optionalString,
  NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: optionalString,
  NEXT_PUBLIC_SUPABASE_ANON_KEY: optionalString,
  SUPABASE_SECRET_KEY: optionalString,
  SUPABASE_SERVICE_ROLE_KEY: optionalString,
  DATABASE_URL: optionalString,
  PGLITE_DIR: optionalString,
  APP_SECRET: optionalString,
  GUEST_MESSAGE_LIMIT: optionalString,
  NODE_ENV: optionalString,
});

type Env = Record<string, string | undefined>;

export function parseConfig(env: Env = process.env): AppConfig {
  const e = EnvSchema.parse(env);
  const supabaseKey = e.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY ?? e.NEXT_PUBLIC_SUPABASE_ANON_KEY;
  const secretKey = e.SUPABASE_SECRET_KEY ?? e.SUPABASE_SERVICE_ROLE_KEY;
  const wantsSupabase = Boolean(e.NEXT_PUBLIC_SUPABASE_URL || supabaseKey || secretKey);

  let mode: Mode = "embedded";
  if (wantsSupabase) {
    if (!e.NEXT_PUBLIC_SUPABASE_URL || !supabaseKey || !secretKey) {
      throw new ConfigError(
        "Supabase mode needs NEXT_PUBLIC_SUPABASE_URL, NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY (or NEXT_PUBLIC_SUPABASE_ANON_KEY) and SUPABASE_SECRET_KEY (or SUPABASE_SERVICE_ROLE_KEY) together; set all three or none.",
      );
    }
    if (e.DATABASE_URL) {
      throw new ConfigError(
        "Set either the Supabase variables or DATABASE_URL, not both: the app talks to one database.",
      );
    }
    if (!URL.canParse(e.NEXT_PUBLIC_SUPABASE_URL)) {
      throw new ConfigError(
        "NEXT_PUBLIC_SUPABASE_URL must be a URL such as https://xyz.supabase.co.",
      );
    }
    mode = "supabase";
  } else if (e.DATABASE_URL) {
    if (!/^postgres(ql)?:\/\//.test(e.DATABASE_URL) || !URL.canParse(e.DATABASE_URL)) {
      throw new ConfigError("DATABASE_URL must be a postgres:// or postgresql:// connection URL.");
    }
    mode = "postgres";
  }

  let guestMessageLimit = 10;
  if (e.GUEST_MESSAGE_LIMIT !== undefined) {
    guestMessageLimit = Number(e.GUEST_MESSAGE_LIMIT);
    if (
      !Number.isInteger(guestMessageLimit) ||
      guestMessageLimit < 0 ||
      guestMessageLimit > 10_000
    ) {
      throw new ConfigError("GUEST_MESSAGE_LIMIT must be a whole number from 0 to 10000.");
    }
  }

  if (mode !== "embedded" && !e.APP_SECRET) {
    throw new ConfigError(
      `APP_SECRET is required in ${mode} mode: set it to a random string of at least 32 characters (openssl rand -base64 32).`,
    );
  }
  if (e.APP_SECRET && e.APP_SECRET.length < 32) {
    throw new ConfigError("APP_SECRET must be at least 32 characters long.");
  }

  return {
    mode,
    guestMessageLimit,
    appSecret: e.APP_SECRET ?? null,
    databaseUrl: mode === "postgres" ? (e.DATABASE_URL ?? null) : null,
    pgliteDir: e.PGLITE_DIR ?? ".data/pglite",
    supabase:
      mode === "supabase" && e.NEXT_PUBLIC_SUPABASE_URL && supabaseKey && secretKey
        ? { url: e.NEXT_PUBLIC_SUPABASE_URL, publishableKey: supabaseKey, secretKey }
        : null,
    production: e.NODE_ENV === "production",
  };
}

let cached: AppConfig | undefined;

/** The process's configuration, parsed on first use. */
export function getConfig(): AppConfig {
  cached ??= parseConfig();
  return cached;
}
