// Passwords for the built-in sign-in: the strength policy, and bcrypt hashes in the format
// Supabase Auth writes ($2a$, cost 10), so the users could move to a Supabase project as they are.

import bcrypt from "bcryptjs";

export const MIN_PASSWORD_LENGTH = 8;
/** bcrypt reads only the first 72 bytes; Supabase Auth refuses longer passwords too. */
export const MAX_PASSWORD_BYTES = 72;
export const BCRYPT_COST = 10;

// The most common passwords that pass the length and character-class rules (lower case).
const COMMON_PASSWORDS = new Set([
  "password1",
  "password12",
  "password123",
  "passw0rd",
  "p@ssw0rd",
  "p@ssword",
  "qwerty123",
  "qwerty12",
  "1q2w3e4r",
  "1qaz2wsx",
  "zaq12wsx",
  "abc12345",
  "abcd1234",
  "aa123456",
  "asdf1234",
  "test1234",
  "iloveyou1",
  "letmein1",
  "letmein123",
  "welcome1",
  "welcome123",
  "sunshine1",
  "football1",
  "baseball1",
  "monkey123",
  "dragon123",
  "trustno1",
  "admin123",
  "admin1234",
  "superman1",
  "princess1",
  "starwars1",
  "whatever1",
  "changeme1",
  "login123",
  "master123",
  "hello123",
  "secret123",
  "shadow123",
  "computer1",
  "internet1",
  "freedom1",
  "michael1",
  "charlie1",
  "jordan23",
  "q1w2e3r4",
  "q1w2e3r4t5",
  "123qweasd",
  "qwe123qwe",
  "1password",
]);

function characterClasses(password: string): number {
  let classes = 0;
  if (/\p{Ll}/u.test(password)) classes += 1;
  if (/\p{Lu}/u.test(password)) classes += 1;
  if (/\p{N}/u.test(password)) classes += 1;
  if (/[^\p{L}\p{N}]/u.test(password)) classes += 1;
  return classes;
}

/**
 * Why a password is too weak for this email, as a sentence for the form, or null when it is fine:
 * at least 8 characters (at most 72 bytes), two kinds of character (lower case, upper case,
 * digits, symbols), not a common password, and not the email or its name part.
 */
export function passwordProblem(password: string, email = ""): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  }
  if (Buffer.byteLength(password, "utf8") > MAX_PASSWORD_BYTES) {
    return `Use at most ${MAX_PASSWORD_BYTES} characters.`;
  }
  if (characterClasses(password) < 2) {
    return "Mix at least two kinds of character: lower case, upper case, digits or symbols.";
  }
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) {
    return "That password is one of the most common ones. Choose another.";
  }
  const normalizedEmail = email.trim().toLowerCase();
  const name = normalizedEmail.split("@")[0] ?? "";
  if (normalizedEmail && (lower === normalizedEmail || (name.length >= 3 && lower === name))) {
    return "Your password may not be your email address.";
  }
  return null;
}

/** A bcrypt hash as Supabase Auth writes it: `$2a$10$...` (same algorithm as bcryptjs's `$2b$`). */
export async function hashPassword(password: string): Promise<string> {
  const hash = await bcrypt.hash(password, BCRYPT_COST);
  return hash.replace(/^\$2b\$/, "$2a$");
}

/** True when the password matches a `$2a$`/`$2b$`/`$2y$` hash; false for anything malformed. */
export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  if (!hash || !/^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/.test(hash)) {
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
