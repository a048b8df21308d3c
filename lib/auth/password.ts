// Passwords for the built-in sign-in: the strength policy, and bcrypt hashes in the format
// Supabase Auth writes ($2a$, cost 10), so the users could move to a Supabase project as they are.

import "server-only";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as zxcvbnCommon from "@zxcvbn-ts/language-common";
import * as zxcvbnEn from "@zxcvbn-ts/language-en";
import bcrypt from "bcryptjs";

export const MIN_PASSWORD_LENGTH = 8;
/** bcrypt reads only the first 72 bytes; Supabase Auth refuses longer passwords too. */
export const MAX_PASSWORD_BYTES = 72;
export const BCRYPT_COST = 10;

/** zxcvbn's score (0-4) a password needs: 3 is "safely unguessable: moderate protection from offline attacks". */
export const MIN_PASSWORD_SCORE = 3;

// zxcvbn-ts with its common-password, English and keyboard-pattern dictionaries; built once.
let estimator: ZxcvbnFactory | undefined;
function strengthOf(password: string, userInputs: string[]) {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEn.translations,
  });
  return estimator.check(password, userInputs);
}

function characterClasses(password: string): number {
  let classes = 0;
  if (/\p{Ll}/u.test(password)) classes += 1;
  if (/\p{Lu}/u.test(password)) classes += 1;
  if (/\p{N}/u.test(password)) classes += 1;
  if (/[^\p{L}\p{N}]/u.test(password)) classes += 1;
  return classes;
}

export function passwordBytes(password: string): number {
  return Buffer.byteLength(password, "utf8");
}

/**
 * Why a password is too weak for this email, as a sentence for the form, or null when it is fine:
 * at least 8 characters and at most 72 bytes (what bcrypt reads), two kinds of character, not
 * the email, and hard enough to guess by zxcvbn's estimate (common passwords, dictionary words,
 * keyboard walks, repeats and sequences, and the email's parts all count against it).
 */
export function passwordProblem(password: string, email = ""): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  }
  if (passwordBytes(password) > MAX_PASSWORD_BYTES) {
    return `Use at most ${MAX_PASSWORD_BYTES} bytes: most letters and digits are 1 byte, accented letters 2, emoji 4.`;
  }
  if (characterClasses(password) < 2) {
    return "Mix at least two kinds of character: lower case, upper case, digits or symbols.";
  }
  const lower = password.toLowerCase();
  const normalizedEmail = email.trim().toLowerCase();
  const name = normalizedEmail.split("@")[0] ?? "";
  if (normalizedEmail && (lower === normalizedEmail || (name.length >= 3 && lower === name))) {
    return "Your password may not be your email address.";
  }
  const strength = strengthOf(
    password,
    [normalizedEmail, name, ...name.split(/[._+-]/)].filter(Boolean),
  );
  if (strength.score < MIN_PASSWORD_SCORE) {
    const hint = strength.feedback.warning
      ? ` ${strength.feedback.warning.replace(/\.?$/, ".")}`
      : "";
    return `That password is too easy to guess.${hint} Add another word or a few unusual characters.`;
  }
  return null;
}

/** A bcrypt hash as Supabase Auth writes it: `$2a$10$...` (same algorithm as bcryptjs's `$2b$`). */
export async function hashPassword(password: string): Promise<string> {
  const hash = await bcrypt.hash(password, BCRYPT_COST);
  return hash.replace(/^\$2b\$/, "$2a$");
}

/** True when the password (at most 72 bytes) matches a `$2a$`/`$2b$`/`$2y$` hash; false for anything malformed. */
export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  // bcrypt ignores what follows byte 72: without this, a 72-byte password would sign in with any
  // suffix. Sign-up never accepts a longer one, so a longer one never matches.
  const tooLong = passwordBytes(password) > MAX_PASSWORD_BYTES;
  if (tooLong || !hash || !/^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/.test(hash)) {
    // Same work as a real check, so the response time does not tell whether the account exists.
    await bcrypt.compare(password, TIMING_DUMMY_HASH);
    return false;
  }
  try {
    return await bcrypt.compare(password, hash);
  } catch {
    return false;
  }
}

// A cost-10 hash of a random string nobody knows.
const TIMING_DUMMY_HASH = "$2a$10$NdHF5wyBLuiJ1FJTSEJ67u9Nbx5sQ3tNc4uRou6WMqsJPbdWSkIbi";
