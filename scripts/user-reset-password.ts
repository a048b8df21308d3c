// `npm run user:reset-password -- <email>`: the operator's password reset for the built-in
// sign-in (embedded and postgres modes), which has no mail server to send reset links. It sets a
// new password (a strong random one it prints, or one piped on stdin), stored as the bcrypt hash
// the sign-in checks, signs the account out on every device, and forgives its recent failed
// sign-ins, all in one transaction. In supabase mode Supabase Auth owns the passwords instead.
//
// The embedded database (PGLITE_DIR) is locked while the app runs, so stop the app first; with
// DATABASE_URL the app may keep running.

import { randomInt } from "node:crypto";
import { pathToFileURL } from "node:url";
import { hashPassword, passwordProblem } from "../lib/auth/password";
import { ConfigError, getConfig } from "../lib/config";
import { createPgPool, pgExecutor } from "../lib/db/pg";
import { DataDirInUseError, openPglite, pgliteExecutor } from "../lib/db/pglite";
import { type SqlExecutor, sqlLiteral } from "../lib/db/sql-transport";

export type ResetOutcome = { userId: string; sessionsRevoked: number };

/** Letters and digits that cannot be mistaken for one another when read aloud or copied by hand. */
const ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";

/** A new password: 4 groups of 5 characters from a 55-character alphabet, about 115 bits. */
export function generatePassword(): string {
  const groups = Array.from({ length: 4 }, () =>
    Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(""),
  );
  return groups.join("-");
}

/**
 * Stores the new hash for the account with this email (any case), ends its sessions and clears
 * its failed sign-in count, in one statement (so one transaction). Null when no account has the
 * email. Runs as the database owner: auth.users is not writable through the API's roles.
 */
export async function resetUserPassword(
  db: SqlExecutor,
  email: string,
  passwordHash: string,
): Promise<ResetOutcome | null> {
  const sql = `
    with target as (
      select u.id, local_auth.normalize_email(u.email) as email
      from auth.users u
      where pg_catalog.lower(u.email) = local_auth.normalize_email(${sqlLiteral(email)})
      order by u.created_at
      limit 1
      for update
    ), updated as (
      update auth.users u
      set encrypted_password = ${sqlLiteral(passwordHash)}, updated_at = now()
      from target
      where u.id = target.id
      returning u.id
    ), forgiven as (
      update local_auth.sign_in_attempts a
      set email_cleared = true
      from target
      where a.email = target.email and not a.succeeded and not a.email_cleared
      returning a.id
    )
    select id::text as user_id, local_auth.revoke_user_sessions(id) as revoked from updated`;
  const [row] = await db.execMulti(sql);
  if (!row) return null;
  return { userId: String(row.user_id), sessionsRevoked: Number(row.revoked) };
}

/** The database the app is configured for, as the owner; with a sentence when it cannot be had. */
async function openDatabase(): Promise<SqlExecutor> {
  const config = getConfig();
  if (config.mode === "supabase") {
    throw new UsageError(
      "This app is in supabase mode: Supabase Auth keeps the passwords. Use “Forgot your password?” on the sign-in page, or the Supabase dashboard (Authentication → Users).",
    );
  }
  if (config.mode === "postgres" && config.databaseUrl) {
    return pgExecutor(createPgPool(config.databaseUrl, 1));
  }
  try {
    return pgliteExecutor(await openPglite(config.pgliteDir));
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      throw new UsageError(
        `${error.message} The embedded database is locked while the app runs: stop the app, run this command, then start the app again.`,
      );
    }
    throw error;
  }
}

class UsageError extends Error {}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One trailing newline is the shell's (echo, a here-string), not part of the password.
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

const USAGE =
  "Usage: npm run user:reset-password -- <email>\n" +
  "Prints a new random password, or sets the one given on stdin:\n" +
  "  printf '%s' 'new password' | npm run user:reset-password -- <email>";

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((arg) => arg !== "--");
  const email = args[0]?.trim() ?? "";
  if (args.length !== 1 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    console.error(USAGE);
    return 2;
  }
  const fromStdin = !process.stdin.isTTY;
  const piped = fromStdin ? await readStdin() : "";
  const password = piped === "" ? generatePassword() : piped;
  const problem = passwordProblem(password, email);
  if (problem) {
    console.error(`That password is refused: ${problem}`);
    return 1;
  }

  let db: SqlExecutor;
  try {
    db = await openDatabase();
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  try {
    const outcome = await resetUserPassword(db, email, await hashPassword(password));
    if (!outcome) {
      console.error(`No account has the email ${email}.`);
      return 1;
    }
    const sessions =
      outcome.sessionsRevoked === 1 ? "1 session" : `${outcome.sessionsRevoked} sessions`;
    console.log(`Password reset for ${email}; ${sessions} signed out on every device.`);
    if (piped === "") console.log(`New password: ${password}`);
    return 0;
  } finally {
    await db.close();
  }
}

// Run only as a script (`tsx scripts/user-reset-password.ts`), not when a test imports it.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
}
