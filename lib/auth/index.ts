// The sign-in port for this process, chosen once by the mode (lib/config.ts).

import "server-only";
import { getConfig } from "@/lib/config";
import type { AuthPort } from "./port";

export type { AuthPort, Credentials, SignedInUser, SignUpResult } from "./port";

let chosen: Promise<AuthPort> | undefined;

async function choose(): Promise<AuthPort> {
  if (getConfig().mode === "supabase") {
    const { supabaseAuthPort } = await import("./supabase-port");
    return supabaseAuthPort;
  }
  const { localAuthPort } = await import("./local-port");
  return localAuthPort;
}

/** The process's sign-in port: Supabase Auth in supabase mode, the built-in sign-in otherwise. */
export function getAuth(): Promise<AuthPort> {
  chosen ??= choose().catch((error) => {
    chosen = undefined;
    throw error;
  });
  return chosen;
}
