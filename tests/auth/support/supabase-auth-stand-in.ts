// A STAND-IN for Supabase Auth (GoTrue), for tests only: a local node:http server answering the
// documented endpoints supabase-js calls for email + password sessions and the email-link flows,
// with real HS256 JWTs shaped like Supabase's access tokens. It is not Supabase Auth (which
// cannot run here); it follows its request and response format closely enough for @supabase/ssr
// and supabase-js. Instead of sending email it keeps each message in `mailbox`, with the token
// hash that Supabase's email templates put in the link ({{ .TokenHash }}).
//
//   POST /auth/v1/signup                           {email, password}  -> session (autoconfirm), or
//                                                                        the user and a signup mail
//   POST /auth/v1/token?grant_type=password        {email, password}  -> session
//   POST /auth/v1/token?grant_type=refresh_token   {refresh_token}    -> rotated session
//   POST /auth/v1/verify                           {token_hash, type} -> session (the link used up)
//   POST /auth/v1/recover?redirect_to=...          {email}            -> {} (a recovery mail if the
//                                                                        account exists)
//   GET  /auth/v1/user                             Bearer <jwt>       -> user
//   PUT  /auth/v1/user                             Bearer <jwt>, {password} -> user
//   POST /auth/v1/logout?scope=local|global        Bearer <jwt>       -> 204
//   GET    /auth/v1/admin/users/{id}               secret key         -> user (404 user_not_found)
//   DELETE /auth/v1/admin/users/{id}               secret key         -> {} (the user and all their
//                                                                        sessions gone)
//
// Keys, as the Supabase gateway treats them: the publishable key reaches the user endpoints, the
// secret key reaches those and the admin ones (GoTrue's 403 not_admin otherwise), anything else
// is the gateway's 401 "Invalid API key".

import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { jwtVerify, SignJWT } from "jose";

type User = {
  id: string;
  email: string;
  password: string;
  createdAt: string;
  confirmedAt: string | null;
};
type RefreshToken = { userId: string; sessionId: string; used: boolean };

/** An email the stand-in "sent": what Supabase's templates would turn into a link. */
export type Mail = {
  to: string;
  type: "signup" | "recovery";
  tokenHash: string;
  /** The redirect_to the app asked for (`{{ .RedirectTo }}`), if any. */
  redirectTo: string | null;
};

type EmailToken = { userId: string; type: Mail["type"]; expiresAt: number; used: boolean };

export type StandIn = {
  url: string;
  publishableKey: string;
  /** The server-only key (service role) that the Auth Admin API requires. */
  secretKey: string;
  jwtSecret: string;
  /** Seconds the next issued access tokens live (a real project: 3600). */
  setAccessTokenTtl(seconds: number): void;
  /** Like a project with "Confirm email" on: sign-up sends a link instead of signing in. */
  setEmailConfirmation(required: boolean): void;
  /** Every email sent, oldest first. */
  mailbox: Mail[];
  /** Makes every email link sent so far expire now. */
  expireEmailLinks(): void;
  /** Every request, as `METHOD /path?query`, in order. */
  calls: string[];
  close(): Promise<void>;
};

export async function startSupabaseAuthStandIn(): Promise<StandIn> {
  const publishableKey = `sb_publishable_${randomBytes(12).toString("hex")}`;
  const secretKey = `sb_secret_${randomBytes(12).toString("hex")}`;
  const jwtSecret = randomBytes(32).toString("base64");
  const key = new TextEncoder().encode(jwtSecret);
  const users = new Map<string, User>(); // by lower-case email
  const refreshTokens = new Map<string, RefreshToken>();
  const revokedSessions = new Set<string>();
  const calls: string[] = [];
  const mailbox: Mail[] = [];
  const emailTokens = new Map<string, EmailToken>(); // by token hash
  let confirmEmails = false;
  let ttl = 3600;
  let url = "";

  const userJson = (u: User) => ({
    id: u.id,
    aud: "authenticated",
    role: "authenticated",
    email: u.email,
    email_confirmed_at: u.confirmedAt,
    phone: "",
    confirmed_at: u.confirmedAt,
    last_sign_in_at: new Date().toISOString(),
    app_metadata: { provider: "email", providers: ["email"] },
    user_metadata: {},
    identities: [],
    created_at: u.createdAt,
    updated_at: u.createdAt,
    is_anonymous: false,
  });

  async function session(u: User, sessionId: string = randomUUID()) {
    const now = Math.floor(Date.now() / 1000);
    const accessToken = await new SignJWT({
      email: u.email,
      phone: "",
      app_metadata: { provider: "email", providers: ["email"] },
      user_metadata: {},
      role: "authenticated",
      aal: "aal1",
      amr: [{ method: "password", timestamp: now }],
      session_id: sessionId,
      is_anonymous: false,
    })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer(`${url}/auth/v1`)
      .setSubject(u.id)
      .setAudience("authenticated")
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .sign(key);
    const refreshToken = randomBytes(16).toString("hex");
    refreshTokens.set(refreshToken, { userId: u.id, sessionId, used: false });
    return {
      access_token: accessToken,
      token_type: "bearer",
      expires_in: ttl,
      expires_at: now + ttl,
      refresh_token: refreshToken,
      user: userJson(u),
    };
  }

  // GoTrue's error body: {code, error_code, msg}.
  const fail = (res: ServerResponse, status: number, errorCode: string, msg: string, extra = {}) =>
    send(res, status, { code: status, error_code: errorCode, msg, ...extra });

  async function verifyBearer(req: IncomingMessage) {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!token) return null;
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ["HS256"],
        audience: "authenticated",
      });
      if (revokedSessions.has(String(payload.session_id))) return null;
      return payload;
    } catch {
      return null;
    }
  }

  const userById = (id: string) => [...users.values()].find((u) => u.id === id);

  /** "Sends" an email with a one-time link, valid for an hour like Supabase's default. */
  function sendMail(user: User, type: Mail["type"], redirectTo: string | null) {
    const tokenHash = randomBytes(28).toString("hex");
    emailTokens.set(tokenHash, {
      userId: user.id,
      type,
      expiresAt: Date.now() + 3_600_000,
      used: false,
    });
    mailbox.push({ to: user.email, type, tokenHash, redirectTo });
  }

  // Like a project whose password policy requires an upper-case letter.
  const weakPassword = (password: string) => password.length < 6 || !/[A-Z]/.test(password);
  const failWeak = (res: ServerResponse) =>
    fail(res, 422, "weak_password", "Password should contain an upper-case letter.", {
      weak_password: { reasons: ["characters"] },
    });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? "/", url);
    calls.push(`${req.method} ${u.pathname}${u.search}`);
    if (req.headers.apikey !== publishableKey && req.headers.apikey !== secretKey) {
      return send(res, 401, { message: "Invalid API key" });
    }
    const body =
      req.method === "POST" || req.method === "PUT" || req.method === "DELETE"
        ? await readJson(req)
        : {};
    const route = `${req.method} ${u.pathname}`;

    const adminUser = /^(GET|DELETE) \/auth\/v1\/admin\/users\/([^/]+)$/.exec(route);
    if (adminUser) {
      if (req.headers.apikey !== secretKey) {
        return fail(res, 403, "not_admin", "User not allowed");
      }
      const user = userById(decodeURIComponent(adminUser[2] ?? ""));
      if (!user) return fail(res, 404, "user_not_found", "User not found");
      if (adminUser[1] === "GET") return send(res, 200, userJson(user));
      // GoTrue deletes the user's sessions and refresh tokens with it.
      users.delete(user.email);
      for (const entry of refreshTokens.values()) {
        if (entry.userId === user.id) revokedSessions.add(entry.sessionId);
      }
      return send(res, 200, {});
    }

    if (route === "POST /auth/v1/signup") {
      const email = String(body.email ?? "").toLowerCase();
      const password = String(body.password ?? "");
      if (weakPassword(password)) return failWeak(res);
      if (users.has(email)) return fail(res, 422, "user_already_exists", "User already registered");
      const now = new Date().toISOString();
      const user: User = {
        id: randomUUID(),
        email,
        password,
        createdAt: now,
        confirmedAt: confirmEmails ? null : now,
      };
      users.set(email, user);
      if (confirmEmails) {
        // No session until the link is opened: GoTrue answers with the user alone.
        sendMail(user, "signup", u.searchParams.get("redirect_to"));
        return send(res, 200, { ...userJson(user), confirmation_sent_at: now });
      }
      return send(res, 200, await session(user));
    }

    if (route === "POST /auth/v1/token" && u.searchParams.get("grant_type") === "password") {
      const user = users.get(String(body.email ?? "").toLowerCase());
      if (!user || user.password !== body.password) {
        return fail(res, 400, "invalid_credentials", "Invalid login credentials");
      }
      if (!user.confirmedAt) return fail(res, 400, "email_not_confirmed", "Email not confirmed");
      return send(res, 200, await session(user));
    }

    if (route === "POST /auth/v1/verify") {
      const token = emailTokens.get(String(body.token_hash ?? ""));
      // GoTrue answers one error for unknown, used, expired and wrong-type links.
      if (!token || token.used || token.expiresAt < Date.now() || token.type !== body.type) {
        return fail(res, 403, "otp_expired", "Email link is invalid or has expired");
      }
      token.used = true;
      const user = userById(token.userId);
      if (!user) return fail(res, 403, "otp_expired", "Email link is invalid or has expired");
      user.confirmedAt ??= new Date().toISOString();
      return send(res, 200, await session(user));
    }

    if (route === "POST /auth/v1/recover") {
      const user = users.get(String(body.email ?? "").toLowerCase());
      if (user) sendMail(user, "recovery", u.searchParams.get("redirect_to"));
      // The same answer whether or not the account exists.
      return send(res, 200, {});
    }

    if (route === "PUT /auth/v1/user") {
      const claims = await verifyBearer(req);
      const user = claims ? userById(String(claims.sub)) : undefined;
      if (!user) return fail(res, 403, "bad_jwt", "invalid JWT");
      if (typeof body.password === "string") {
        if (weakPassword(body.password)) return failWeak(res);
        if (body.password === user.password) {
          return fail(
            res,
            422,
            "same_password",
            "New password should be different from the old password.",
          );
        }
        user.password = body.password;
      }
      return send(res, 200, userJson(user));
    }

    if (route === "POST /auth/v1/token" && u.searchParams.get("grant_type") === "refresh_token") {
      const entry = refreshTokens.get(String(body.refresh_token ?? ""));
      if (!entry || revokedSessions.has(entry.sessionId)) {
        return fail(
          res,
          400,
          "refresh_token_not_found",
          "Invalid Refresh Token: Refresh Token Not Found",
        );
      }
      if (entry.used) {
        return fail(res, 400, "refresh_token_already_used", "Invalid Refresh Token: Already Used");
      }
      entry.used = true;
      const user = userById(entry.userId);
      if (!user) return fail(res, 400, "user_not_found", "User not found");
      return send(res, 200, await session(user, entry.sessionId));
    }

    if (route === "GET /auth/v1/user") {
      const claims = await verifyBearer(req);
      const user = claims ? userById(String(claims.sub)) : undefined;
      if (!user)
        return fail(res, 403, "bad_jwt", "invalid JWT: unable to parse or verify signature");
      return send(res, 200, userJson(user));
    }

    if (route === "POST /auth/v1/logout") {
      const claims = await verifyBearer(req);
      if (!claims) return fail(res, 403, "bad_jwt", "invalid JWT");
      // scope=local ends this session; global (the default) every session of the user.
      const scope =
        new URL(req.url ?? "/", "http://stand-in").searchParams.get("scope") ?? "global";
      revokedSessions.add(String(claims.session_id));
      if (scope === "global") {
        for (const entry of refreshTokens.values()) {
          if (entry.userId === claims.sub) revokedSessions.add(entry.sessionId);
        }
      }
      res.writeHead(204).end();
      return;
    }

    return fail(res, 404, "not_found", `No stand-in route for ${route}`);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      send(res, 500, { code: 500, error_code: "unexpected_failure", msg: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "localhost", resolve));
  // `localhost`, so the project ref (the URL's first label) gives the cookie sb-localhost-auth-token.
  url = `http://localhost:${(server.address() as AddressInfo).port}`;

  return {
    url,
    publishableKey,
    secretKey,
    jwtSecret,
    setAccessTokenTtl: (seconds) => {
      ttl = seconds;
    },
    setEmailConfirmation: (required) => {
      confirmEmails = required;
    },
    mailbox,
    expireEmailLinks: () => {
      for (const token of emailTokens.values()) token.expiresAt = 0;
    },
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}
