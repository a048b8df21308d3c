// The built-in accounts' SQL (schema local_auth, supabase/migrations/*_local_auth*.sql) through
// lib/auth/local-auth, on PGlite and on the real server: sign-up, unique emails, sign-in, the
// throttle per email and per IP, which must hold across two server instances (two ports / two
// pools on one database), and nothing in the schemas PostgREST exposes returning password hashes.

import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  hashRefreshToken,
  localRefresh,
  localRevoke,
  localRevokeAll,
  localSessionUser,
  localSignIn,
  localSignUp,
  SIGN_IN_THROTTLE,
  type SignInThrottle,
} from "@/lib/auth/local-auth";
import { readMigrations } from "@/lib/db/migrations";
import { pgliteExecutor } from "@/lib/db/pglite";
import { createPort } from "@/lib/db/port";
import { createSqlTransport } from "@/lib/db/sql-transport";
import type { DbPort } from "@/lib/db/types";
import { AppError } from "@/lib/errors";
import { freshPglite } from "../support/pglite";
import { describeServer, migratedServerDatabase, serverPort } from "../support/server";

const PASSWORD = "Violet-harbour-42";

// The schemas PostgREST serves (supabase/config.toml, [api] schemas).
const EXPOSED = ["public", "graphql_public"];

/** The functions in `schemas` whose body touches auth.users' password hashes. */
const hashReadersSql = (schemas: string[]) => `
  select n.nspname || '.' || p.proname as name
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname in (${schemas.map((s) => `'${s}'`).join(", ")})
    and p.prosrc ilike '%encrypted_password%'
  order by 1`;

/** Two ports on one database: two server instances sharing it. `sql` runs raw SQL as superuser. */
type Backend = {
  a: DbPort;
  b: DbPort;
  sql: (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;
};

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    return error instanceof AppError ? error.code : `non-app-error: ${String(error)}`;
  }
}

let emailCounter = 0;
const uniqueEmail = (tag = "user") => `${tag}-${Date.now()}-${++emailCounter}@example.com`;
let ipCounter = 0;
/** A fresh address per sign-up, so the sign-up throttle only bites where a test wants it to. */
const uniqueIp = () => `10.200.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;
const ROOMY_SIGN_UPS = { maxPerIp: 1_000, windowSeconds: 3_600 };

async function signUp(db: DbPort, input: { email: string; password: string; ip?: string }) {
  return (await localSignUp(db, { ip: uniqueIp(), ...input }, ROOMY_SIGN_UPS)).user;
}

async function signIn(
  db: DbPort,
  input: { email: string; password: string; ip: string },
  throttle?: Partial<SignInThrottle>,
) {
  return (await localSignIn(db, input, throttle)).user;
}

const A_HASH = "a".repeat(64);

function authSuite(name: string, open: () => Promise<Backend & { close: () => Promise<void> }>) {
  describe(name, () => {
    let backend: Backend & { close: () => Promise<void> };
    beforeAll(async () => {
      backend = await open();
    });
    afterAll(async () => {
      await backend?.close();
    });

    it("signs up a confirmed user with a Supabase-format hash, email normalised", async () => {
      const email = uniqueEmail("signup");
      const account = await signUp(backend.a, {
        email: `  ${email.toUpperCase()} `,
        password: PASSWORD,
      });
      expect(account.email).toBe(email.toLowerCase());
      const [row] = await backend.sql(
        "select email, encrypted_password, aud, role, email_confirmed_at is not null as confirmed, raw_app_meta_data from auth.users where id = $1",
        [account.id],
      );
      expect(row).toMatchObject({
        email: email.toLowerCase(),
        aud: "authenticated",
        role: "authenticated",
        confirmed: true,
        raw_app_meta_data: { provider: "email", providers: ["email"] },
      });
      expect(String(row?.encrypted_password)).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    });

    it("refuses a second account for the same email, whatever its case (email_taken)", async () => {
      const email = uniqueEmail("dup");
      await signUp(backend.a, { email, password: PASSWORD });
      expect(
        await codeOf(signUp(backend.b, { email: email.toUpperCase(), password: PASSWORD })),
      ).toBe("email_taken");
      const [count] = await backend.sql(
        "select count(*)::int as n from auth.users where lower(email) = $1",
        [email],
      );
      expect(count?.n).toBe(1);
    });

    it("refuses concurrent sign-ups of one email but one", async () => {
      const email = uniqueEmail("race");
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          codeOf(signUp(i % 2 ? backend.a : backend.b, { email, password: PASSWORD })),
        ),
      );
      expect(results.filter((r) => r === "ok")).toHaveLength(1);
      expect(results.filter((r) => r === "email_taken")).toHaveLength(5);
    });

    it("refuses a weak password before touching the database (weak_password, field error)", async () => {
      const error = await signUp(backend.a, {
        email: uniqueEmail(),
        password: "password123",
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("weak_password");
      expect((error as AppError).status).toBe(400);
      expect((error as AppError).details).toMatchObject({
        fields: { password: expect.any(String) },
      });
    });

    it("signs in with the right password only; an unknown email looks the same", async () => {
      const email = uniqueEmail("signin");
      const account = await signUp(backend.a, { email, password: PASSWORD });
      const ip = "10.0.0.1";
      await expect(
        signIn(backend.b, { email: email.toUpperCase(), password: PASSWORD, ip }),
      ).resolves.toEqual(account);
      expect(await codeOf(signIn(backend.a, { email, password: "Wrong-pass-1", ip }))).toBe(
        "invalid_credentials",
      );
      expect(
        await codeOf(signIn(backend.a, { email: uniqueEmail("nobody"), password: PASSWORD, ip })),
      ).toBe("invalid_credentials");
      const [row] = await backend.sql(
        "select last_sign_in_at is not null as seen from auth.users where id = $1",
        [account.id],
      );
      expect(row?.seen).toBe(true);
    });

    it("throttles an (email, address) pair after 5 failures, across both instances, with a retry-after", async () => {
      const email = uniqueEmail("victim");
      await signUp(backend.a, { email, password: PASSWORD });
      const ip = "10.1.0.1";
      for (let i = 0; i < SIGN_IN_THROTTLE.maxPerPair; i++) {
        const db = i % 2 ? backend.b : backend.a; // alternate: two server instances
        expect(await codeOf(signIn(db, { email, password: `Guess-${i}-x`, ip }))).toBe(
          "invalid_credentials",
        );
      }
      // Even the right password, from that address, on either instance, is refused now.
      for (const db of [backend.a, backend.b]) {
        const error = await signIn(db, { email, password: PASSWORD, ip }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe("too_many_attempts");
        expect((error as AppError).status).toBe(429);
        const retryAfter = (error as AppError).details?.retryAfterSeconds as number;
        expect(retryAfter).toBeGreaterThan(SIGN_IN_THROTTLE.windowSeconds - 60);
        expect(retryAfter).toBeLessThanOrEqual(SIGN_IN_THROTTLE.windowSeconds);
        expect((error as AppError).message).toMatch(/Try again in 15 minutes/);
      }
      // The owner, from another address, is not locked out.
      expect(await codeOf(signIn(backend.b, { email, password: PASSWORD, ip: "10.1.1.1" }))).toBe(
        "ok",
      );
    });

    it("cannot be used to lock the owner out: guesses from many addresses leave a new one free", async () => {
      const email = uniqueEmail("owner");
      await signUp(backend.a, { email, password: PASSWORD });
      // 5 wrong passwords from 5 addresses (the attack of finding 6), on both instances.
      for (let i = 0; i < 5; i++) {
        const db = i % 2 ? backend.b : backend.a;
        expect(
          await codeOf(signIn(db, { email, password: `Spray-${i}-x`, ip: `10.11.0.${i}` })),
        ).toBe("invalid_credentials");
      }
      expect(await codeOf(signIn(backend.a, { email, password: PASSWORD, ip: "10.11.9.9" }))).toBe(
        "ok",
      );
    });

    it("stops a distributed guesser at the much higher per-email count", async () => {
      const email = uniqueEmail("distributed");
      await signUp(backend.a, { email, password: PASSWORD });
      const throttle = { maxPerEmail: 8 };
      for (let i = 0; i < 8; i++) {
        expect(
          await codeOf(
            signIn(backend.a, { email, password: `Wide-${i}-x`, ip: `10.12.0.${i}` }, throttle),
          ),
        ).toBe("invalid_credentials");
      }
      expect(
        await codeOf(signIn(backend.b, { email, password: PASSWORD, ip: "10.12.9.9" }, throttle)),
      ).toBe("too_many_attempts");
    });

    it("throttles one IP after 20 failures over many emails, across both instances", async () => {
      const ip = `10.2.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
      const target = uniqueEmail("ip-target");
      await signUp(backend.a, { email: target, password: PASSWORD });
      for (let i = 0; i < SIGN_IN_THROTTLE.maxPerIp; i++) {
        const db = i % 2 ? backend.b : backend.a;
        expect(
          await codeOf(signIn(db, { email: uniqueEmail("spray"), password: "Spray-pass-1", ip })),
        ).toBe("invalid_credentials");
      }
      expect(await codeOf(signIn(backend.a, { email: target, password: PASSWORD, ip }))).toBe(
        "too_many_attempts",
      );
      expect(await codeOf(signIn(backend.b, { email: target, password: PASSWORD, ip }))).toBe(
        "too_many_attempts",
      );
      // The same account from another address is fine.
      expect(
        await codeOf(signIn(backend.b, { email: target, password: PASSWORD, ip: "10.3.0.1" })),
      ).toBe("ok");
    });

    it("forgives an email's failures after a successful sign-in, but not the IP's", async () => {
      const email = uniqueEmail("forgiven");
      const ip = `10.4.${Math.floor(Math.random() * 250)}.1`;
      await signUp(backend.a, { email, password: PASSWORD });
      const fail = () => codeOf(signIn(backend.a, { email, password: "Nope-nope-1", ip }));
      for (let i = 0; i < 4; i++) expect(await fail()).toBe("invalid_credentials");
      expect(await codeOf(signIn(backend.b, { email, password: PASSWORD, ip }))).toBe("ok");
      for (let i = 0; i < 4; i++) expect(await fail()).toBe("invalid_credentials");
      const [row] = await backend.sql(
        "select count(*) filter (where not succeeded)::int as failures, count(*) filter (where not succeeded and not email_cleared)::int as counted from local_auth.sign_in_attempts where ip = $1",
        [ip],
      );
      expect(row).toEqual({ failures: 8, counted: 4 });
    });

    it("lets an attempt through again once the window has passed", async () => {
      const email = uniqueEmail("patient");
      await signUp(backend.a, { email, password: PASSWORD });
      const throttle = { windowSeconds: 1, maxPerPair: 2 };
      const ip = "10.5.0.1";
      for (let i = 0; i < 2; i++) {
        expect(
          await codeOf(signIn(backend.a, { email, password: "Wrong-pass-9", ip }, throttle)),
        ).toBe("invalid_credentials");
      }
      expect(await codeOf(signIn(backend.b, { email, password: PASSWORD, ip }, throttle))).toBe(
        "too_many_attempts",
      );
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await codeOf(signIn(backend.b, { email, password: PASSWORD, ip }, throttle))).toBe(
        "ok",
      );
    });

    it("finishes a sign-in only once, and only for a verified attempt", async () => {
      const email = uniqueEmail("finish");
      await signUp(backend.a, { email, password: PASSWORD });
      const begun = await backend.a.localAuth("begin_sign_in", {
        p_email: email,
        p_ip: "10.6.0.1",
      });
      expect(begun.user).toMatchObject({
        email,
        passwordHash: expect.stringMatching(/^\$2a\$10\$/),
      });
      await expect(
        backend.b.localAuth("finish_sign_in", {
          p_attempt_id: begun.attemptId,
          p_refresh_token_hash: hashRefreshToken(`finish-${email}`),
          p_session_seconds: 3_600,
        }),
      ).resolves.toMatchObject({
        user: { id: begun.user?.id, email },
        session: { id: expect.any(String) },
      });
      expect(
        await codeOf(
          backend.a.localAuth("finish_sign_in", {
            p_attempt_id: begun.attemptId,
            p_refresh_token_hash: A_HASH,
            p_session_seconds: 3_600,
          }),
        ),
      ).toBe("invalid_credentials");
      expect(
        await codeOf(
          backend.a.localAuth("finish_sign_in", {
            p_attempt_id: "00000000-0000-4000-8000-000000000000",
            p_refresh_token_hash: A_HASH,
            p_session_seconds: 3_600,
          }),
        ),
      ).toBe("invalid_credentials");
      // An attempt on an email with no account cannot be finished either.
      const ghost = await backend.a.localAuth("begin_sign_in", {
        p_email: uniqueEmail("ghost"),
        p_ip: "10.6.0.2",
      });
      expect(ghost.user).toBeNull();
      expect(
        await codeOf(
          backend.a.localAuth("finish_sign_in", {
            p_attempt_id: ghost.attemptId,
            p_refresh_token_hash: A_HASH,
            p_session_seconds: 3_600,
          }),
        ),
      ).toBe("invalid_credentials");
    });

    it("rejects malformed input in SQL too", async () => {
      expect(
        await codeOf(
          backend.a.localAuth("sign_up", {
            p_email: "not-an-email",
            p_password_hash: `$2a$10$${"a".repeat(53)}`,
            p_ip: uniqueIp(),
            p_refresh_token_hash: A_HASH,
            p_session_seconds: 3_600,
          }),
        ),
      ).toBe("invalid_input");
      expect(
        await codeOf(
          backend.a.localAuth("sign_up", {
            p_email: uniqueEmail(),
            p_password_hash: "plain-text",
            p_ip: uniqueIp(),
            p_refresh_token_hash: A_HASH,
            p_session_seconds: 3_600,
          }),
        ),
      ).toBe("invalid_input");
    });

    it("is only for the server: anon and authenticated can neither call it nor read the attempts", async () => {
      for (const role of ["anon", "authenticated"]) {
        for (const statement of [
          `select local_auth.sign_up('x@example.com', '$2a$10$${"a".repeat(53)}', '1.1.1.1', '${A_HASH}', 60)`,
          "select local_auth.begin_sign_in('x@example.com', '1.1.1.1')",
          `select local_auth.finish_sign_in('00000000-0000-4000-8000-000000000000', '${A_HASH}', 60)`,
          "select local_auth.session_user('00000000-0000-4000-8000-000000000000')",
          `select local_auth.refresh_session('${A_HASH}', '${A_HASH}')`,
          "select local_auth.revoke_user_sessions('00000000-0000-4000-8000-000000000000')",
          "select count(*) from local_auth.sign_in_attempts",
          "select count(*) from local_auth.sessions",
        ]) {
          const error = await backend
            .sql(`begin; set local role ${role}; ${statement}; commit;`)
            .catch((e: { code?: string }) => e);
          await backend.sql("rollback").catch(() => undefined);
          expect((error as { code?: string }).code, `${role}: ${statement}`).toBe("42501");
        }
      }
    });

    it("leaves nothing in the exposed schemas that returns a password hash", async () => {
      // PostgREST exposes public and graphql_public (supabase/config.toml): anything there is
      // callable over REST with the secret key. Only local_auth may read encrypted_password.
      expect(await backend.sql(hashReadersSql(EXPOSED))).toEqual([]);
      // Not vacuous: the same query finds the function that does return hashes, in local_auth.
      const unexposed = await backend.sql(hashReadersSql(["local_auth"]));
      expect(unexposed.map((r) => r.name)).toContain("local_auth.begin_sign_in");
      // And the old public names are gone, whatever their arguments.
      const [old] = await backend.sql(
        "select count(*)::int as n from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' and p.proname like 'local\\_auth\\_%'",
      );
      expect(old?.n).toBe(0);
    });

    it("opens a session that renews with a rotated token and ends at sign-out, on every instance", async () => {
      const email = uniqueEmail("session");
      await signUp(backend.a, { email, password: PASSWORD });
      const signedIn = await localSignIn(backend.b, { email, password: PASSWORD, ip: uniqueIp() });
      const { session } = signedIn;
      expect(session.expiresAt - session.authTime).toBe(60 * 60 * 24 * 30);
      expect(await localSessionUser(backend.a, session.id)).toEqual(signedIn.user);

      // Renewing rotates the token: the old one works only within the few-second grace.
      const renewed = await localRefresh(backend.a, signedIn.refreshToken);
      expect(renewed).toMatchObject({ user: signedIn.user, session: { id: session.id } });
      expect(renewed?.refreshToken).toEqual(expect.any(String));
      expect(renewed?.refreshToken).not.toBe(signedIn.refreshToken);
      const raced = await localRefresh(backend.b, signedIn.refreshToken);
      expect(raced).toMatchObject({ session: { id: session.id }, refreshToken: null });
      await backend.sql(
        "update local_auth.sessions set rotated_at = now() - interval '1 minute' where id = $1",
        [session.id],
      );
      expect(await localRefresh(backend.b, signedIn.refreshToken)).toBeNull();

      // Sign-out: the session is gone for both instances, whatever cookie a copy still holds.
      await localRevoke(backend.b, { sessionId: session.id, refreshToken: null });
      expect(await localSessionUser(backend.a, session.id)).toBeNull();
      expect(await localRefresh(backend.a, renewed?.refreshToken ?? "")).toBeNull();
      // Signing out again is harmless.
      await localRevoke(backend.a, { sessionId: session.id, refreshToken: null });
    });

    it("signs a user out everywhere, and only that user", async () => {
      const email = uniqueEmail("everywhere");
      await signUp(backend.a, { email, password: PASSWORD });
      const laptop = await localSignIn(backend.a, { email, password: PASSWORD, ip: uniqueIp() });
      const phone = await localSignIn(backend.b, { email, password: PASSWORD, ip: uniqueIp() });
      const other = await localSignUp(
        backend.a,
        { email: uniqueEmail("neighbour"), password: PASSWORD, ip: uniqueIp() },
        ROOMY_SIGN_UPS,
      );
      // Sign-up opened a session too: three for this user.
      expect(await localRevokeAll(backend.b, laptop.user.id)).toBe(3);
      expect(await localSessionUser(backend.a, laptop.session.id)).toBeNull();
      expect(await localSessionUser(backend.b, phone.session.id)).toBeNull();
      expect(await localRefresh(backend.a, phone.refreshToken)).toBeNull();
      expect(await localSessionUser(backend.a, other.session.id)).toEqual(other.user);
    });

    it("throttles sign-ups per address, counting an email in use too, and tells no more than that", async () => {
      const ip = uniqueIp();
      const throttle = { maxPerIp: 3, windowSeconds: 3_600 };
      const taken = uniqueEmail("taken");
      await signUp(backend.a, { email: taken, password: PASSWORD });
      const attempt = (email: string, db: DbPort) =>
        codeOf(localSignUp(db, { email, password: PASSWORD, ip }, throttle));
      expect(await attempt(uniqueEmail("first"), backend.a)).toBe("ok");
      expect(await attempt(taken, backend.b)).toBe("email_taken");
      expect(await attempt(uniqueEmail("third"), backend.b)).toBe("ok");
      // The fourth from this address is refused before any account is looked at.
      expect(await attempt(taken, backend.a)).toBe("too_many_attempts");
      expect(await attempt(uniqueEmail("fourth"), backend.a)).toBe("too_many_attempts");
      // Another address is not affected.
      expect(
        await codeOf(signUp(backend.b, { email: uniqueEmail("elsewhere"), password: PASSWORD })),
      ).toBe("ok");
    });

    it("applies again without error (idempotent)", async () => {
      // Every local_auth migration in order: the first one creates the functions in public,
      // the later one moves them, so running both leaves them out of public again.
      for (let round = 0; round < 2; round++) {
        for (const m of await readMigrations()) {
          if (m.name.startsWith("local_auth")) await backend.sql(m.sql);
        }
      }
      expect(await backend.sql(hashReadersSql(EXPOSED))).toEqual([]);
      const email = uniqueEmail("after-rerun");
      await signUp(backend.a, { email, password: PASSWORD });
      expect(await codeOf(signIn(backend.b, { email, password: PASSWORD, ip: "10.7.0.1" }))).toBe(
        "ok",
      );
    });
  });
}

authSuite("local auth on PGlite", async () => {
  const db: PGlite = await freshPglite();
  // Two transports on the one database: the closest PGlite gets to two server instances.
  const a = createPort(createSqlTransport(pgliteExecutor(db)));
  const b = createPort(createSqlTransport(pgliteExecutor(db)));
  return {
    a,
    b,
    sql: async (text, params) => {
      if (params) return (await db.query<Record<string, unknown>>(text, params)).rows;
      const results = await db.exec(text);
      return (results.at(-1)?.rows ?? []) as Record<string, unknown>[];
    },
    close: () => db.close(),
  };
});

describeServer("local auth on the real server", () => {
  let scratch: Awaited<ReturnType<typeof migratedServerDatabase>>;
  let first: ReturnType<typeof serverPort>;
  let second: ReturnType<typeof serverPort>;
  let admin: pg.Pool;

  beforeAll(async () => {
    scratch = await migratedServerDatabase("auth");
    // Two pools: two server instances with their own connections.
    first = serverPort(scratch.url, 5);
    second = serverPort(scratch.url, 5);
    admin = new pg.Pool({ connectionString: scratch.url, max: 2 });
  });
  afterAll(async () => {
    await first?.pool.end();
    await second?.pool.end();
    await admin?.end();
    await scratch?.drop();
  });

  authSuite("shared suite", async () => ({
    a: first.port,
    b: second.port,
    sql: async (text, params) => {
      const client = await admin.connect();
      try {
        const result = (await client.query(text, params)) as unknown as
          | pg.QueryResult
          | pg.QueryResult[];
        return ((Array.isArray(result) ? result.at(-1) : result)?.rows ?? []) as Record<
          string,
          unknown
        >[];
      } catch (error) {
        // Never hand the pool back a connection stuck in a failed transaction.
        await client.query("rollback").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: async () => undefined,
  }));

  it("counts concurrent guesses from one address exactly: 5 checked, the rest refused", async () => {
    const email = uniqueEmail("burst");
    await signUp(first.port, { email, password: PASSWORD });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        codeOf(
          signIn(i % 2 ? first.port : second.port, {
            email,
            password: `Burst-guess-${i}`,
            ip: "10.8.0.1",
          }),
        ),
      ),
    );
    expect(results.filter((r) => r === "invalid_credentials")).toHaveLength(
      SIGN_IN_THROTTLE.maxPerPair,
    );
    expect(results.filter((r) => r === "too_many_attempts")).toHaveLength(
      12 - SIGN_IN_THROTTLE.maxPerPair,
    );
  });

  it("writes hashes pgcrypto's bcrypt accepts, and accepts pgcrypto's", async () => {
    await admin.query("create extension if not exists pgcrypto");
    const email = uniqueEmail("pgcrypto");
    const account = await signUp(first.port, { email, password: PASSWORD });
    const { rows } = await admin.query(
      "select extensions_ok from (select crypt($1, encrypted_password) = encrypted_password as extensions_ok from auth.users where id = $2) t",
      [PASSWORD, account.id],
    );
    expect(rows[0]?.extensions_ok).toBe(true);

    // A user whose hash pgcrypto made (as a Supabase SQL seed would) signs in.
    const seeded = uniqueEmail("seeded");
    await admin.query(
      "insert into auth.users (id, email, encrypted_password, email_confirmed_at) values (gen_random_uuid(), $1, crypt($2, gen_salt('bf', 10)), now())",
      [seeded, PASSWORD],
    );
    expect(
      await codeOf(signIn(second.port, { email: seeded, password: PASSWORD, ip: "10.9.0.1" })),
    ).toBe("ok");
  });

  it("fails visibly when the throttle store cannot be reached (never lets the sign-in through)", async () => {
    const u = new URL(scratch.url);
    u.pathname = "/no_such_database_for_auth_tests";
    const broken = serverPort(u.toString(), 1);
    try {
      const code = await codeOf(
        signIn(broken.port, { email: uniqueEmail(), password: PASSWORD, ip: "10.10.0.1" }),
      );
      expect(code).not.toBe("ok");
      expect(code).not.toBe("invalid_credentials");
    } finally {
      await broken.pool.end();
    }
  });
});
