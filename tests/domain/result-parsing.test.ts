// The port parses every SQL function's result with its schema (lib/db/results.ts). Shown on real
// results from the migrated schema (PGlite, both transports): every field the app reads is
// required, so a field that goes missing or is renamed is an `internal` error that names the
// function and the field, never a silent "" or 0.

import { randomUUID } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  localRefresh,
  localRevoke,
  localRevokeAll,
  localSessionUser,
  localSignIn,
  localSignUp,
} from "@/lib/auth/local-auth";
import * as chat from "@/lib/chat/service";
import { pgliteExecutor } from "@/lib/db/pglite";
import { createPort } from "@/lib/db/port";
import { LOCAL_AUTH_RESULTS, NO_PERSONA, RPC_RESULTS } from "@/lib/db/results";
import { createSqlTransport } from "@/lib/db/sql-transport";
import { createSupabaseTransport } from "@/lib/db/supabase-transport";
import type { DbPort, Transport } from "@/lib/db/types";
import { useDatabase, withDatabase } from "../support/database";
import { freshPglite } from "../support/pglite";
import { pgliteBacking, startPostgrestStandIn } from "../support/postgrest-stand-in";
import { expectAppError, newGuest } from "./scenarios";

type Recorded = { fn: string; schema: "public" | "local_auth"; raw: unknown };

/** The real SQL transport, with every raw result it returns kept for inspection. */
function recording(transport: Transport, into: Recorded[]): Transport {
  return {
    ...transport,
    async rpc(fn, args) {
      const raw = await transport.rpc(fn, args);
      into.push({ fn, schema: "public", raw: structuredClone(raw) });
      return raw;
    },
    async localAuth(fn, args) {
      const raw = await transport.localAuth?.(fn, args);
      into.push({ fn, schema: "local_auth", raw: structuredClone(raw) });
      return raw;
    },
  };
}

type Path = (string | number)[];

/** Every object key in `value` (arrays: their first item), as paths from the top. */
function keyPaths(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.length ? keyPaths(value[0], [...path, 0]) : [];
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => [
    [...path, key],
    ...keyPaths(child, [...path, key]),
  ]);
}

function without(value: unknown, path: Path): unknown {
  const copy = structuredClone(value);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  delete node[path.at(-1) as string | number];
  return copy;
}

function schemaOf(call: Recorded) {
  return call.schema === "public"
    ? RPC_RESULTS[call.fn as keyof typeof RPC_RESULTS]
    : LOCAL_AUTH_RESULTS[call.fn as keyof typeof LOCAL_AUTH_RESULTS];
}

describe("typed RPC results on real results (PGlite)", () => {
  let db: PGlite;
  let port: DbPort;
  const calls: Recorded[] = [];
  let restoreDatabase: () => void = () => {};

  beforeAll(async () => {
    db = await freshPglite();
    port = createPort(recording(createSqlTransport(pgliteExecutor(db)), calls));
    restoreDatabase = useDatabase(port);

    // One of every call the app makes, as a guest and then as the user the guest becomes.
    const guest = newGuest();
    const [persona] = await chat.listPersonas();
    const conversation = await chat.startConversation(guest, persona?.id ?? "");
    const posted = await chat.postUserMessage(guest, conversation.id, "Hello there");
    await chat.setConversationStatus(guest, conversation.id, "error", posted.lease.id);
    const retried = await chat.prepareRetry(guest, conversation.id);
    await chat.saveAssistantMessage(guest, conversation.id, "Hello!", posted.userMessage.id, {
      leaseId: retried.lease.id,
    });
    const regenerated = await chat.prepareRegenerate(guest, conversation.id);
    await chat.saveAssistantMessage(guest, conversation.id, "Hel", posted.userMessage.id, {
      leaseId: regenerated.lease.id,
      stopped: true,
    });
    const andNow = await chat.postUserMessage(guest, conversation.id, "And now?");
    await chat.getConversation(guest, conversation.id);
    await chat.listConversations(guest);
    await chat.getGuestAllowance(guest.sessionId);
    await chat.renameConversation(guest, conversation.id, "Greetings");
    const spare = await chat.startConversation(guest, persona?.id ?? "");
    await chat.deleteConversation(guest, spare.id);
    await chat.setConversationStatus(guest, conversation.id, "error", andNow.lease.id);
    const email = `parse-${randomUUID().slice(0, 8)}@example.test`;
    const { user: account, session } = await localSignUp(
      port,
      { email, password: "Violet-harbour-42", ip: "10.0.0.1" },
      { maxPerIp: 10, windowSeconds: 60 },
    );
    const signedIn = await localSignIn(port, {
      email,
      password: "Violet-harbour-42",
      ip: "10.0.0.1",
    });
    await localSessionUser(port, session.id);
    await localRefresh(port, signedIn.refreshToken);
    await localRevoke(port, { sessionId: session.id, refreshToken: null });
    await localRevokeAll(port, account.id);
    await chat.claimGuestConversations(guest.sessionId, account.id);
    const user = { kind: "user", userId: account.id, email } as const;
    const signedInNow = await chat.postUserMessage(user, conversation.id, "Signed in now");
    await chat.getConversation(user, conversation.id);
    await chat.setConversationStatus(user, conversation.id, "error", signedInNow.lease.id);
    // The voice functions, with a few bytes standing for a recording.
    const audio = {
      contentType: "audio/wav",
      byteSize: 4,
      durationMs: 1000,
      dataBase64: Buffer.from("RIFF").toString("base64"),
      storagePath: null,
    } as const;
    const spoken = await chat.postVoiceMessage(user, conversation.id, "Spoken words", audio);
    await chat.getMessageAudio(user, conversation.id, spoken.userMessage.id);
    const reply = await chat.saveAssistantMessage(
      user,
      conversation.id,
      "Heard you.",
      spoken.userMessage.id,
      { leaseId: spoken.lease.id },
    );
    await chat.saveMessageAudio(user, conversation.id, reply.message.id, {
      ...audio,
      contentType: "audio/mpeg",
    });
    await chat.getVoiceSessionContext(user, conversation.id);
    await chat.saveVoiceTranscript(user, conversation.id, "conv_parse_test", [
      { role: "user", content: "Hello by voice" },
      { role: "assistant", content: "Hello back" },
    ]);
    await chat.endConversation(user, conversation.id);
    await chat.deleteAccount(account.id, { deleteAuthUser: true });
  });

  afterAll(async () => {
    restoreDatabase();
    await db?.close();
  });

  it("recorded a real result of every function the port knows", () => {
    const seen = new Set(calls.map((c) => `${c.schema}.${c.fn}`));
    const known = [
      ...Object.keys(RPC_RESULTS).map((fn) => `public.${fn}`),
      ...Object.keys(LOCAL_AUTH_RESULTS).map((fn) => `local_auth.${fn}`),
    ];
    expect([...seen].sort()).toEqual(known.sort());
  });

  it("refuses each result with any field the app reads taken away", () => {
    const ignored = new Set<string>();
    let refused = 0;
    for (const call of calls) {
      const schema = schemaOf(call);
      const expected = schema.parse(call.raw);
      for (const path of keyPaths(call.raw)) {
        const parsed = schema.safeParse(without(call.raw, path));
        if (!parsed.success) {
          refused += 1;
          continue;
        }
        // Accepted only if the field was not used at all: the output is exactly the same.
        expect(parsed.data, `${call.fn} without ${path.join(".")}`).toEqual(expected);
        ignored.add(String(path.at(-1)));
      }
    }
    expect(refused).toBeGreaterThan(100);
    // What the SQL returns and the app does not read (a field added later would show up here).
    expect([...ignored].sort()).toEqual(["conversation_id", "guest_message_count"]);
  });

  it("gives a conversation without a persona (legacy rows) an explicit empty persona", async () => {
    const guest = newGuest();
    const [row] = (
      await db.query<{ id: string }>(
        `insert into public.conversations (session_id, is_guest_session, persona_id)
         values ($1, true, null) returning id`,
        [guest.sessionId],
      )
    ).rows;
    const context = await chat.postUserMessage(guest, row?.id ?? "", "Anyone?");
    expect(context.persona).toEqual(NO_PERSONA);
    const [summary] = await chat.listConversations(guest);
    expect(summary?.persona).toBeNull();
    expect((await chat.getConversation(guest, row?.id ?? "")).persona).toBeNull();
  });
});

describe("a result that drifted from its schema", () => {
  let db: PGlite;
  const errors = vi.spyOn(console, "error");

  beforeAll(async () => {
    db = await freshPglite();
    // As if a migration had renamed messages' `content` and dropped the allowance's `remaining`.
    await db.exec(`
      create or replace function chat_private.chat_message_json(p_message public.messages)
      returns jsonb language sql immutable set search_path = '' as $$
        select jsonb_build_object(
          'id', p_message.id, 'conversation_id', p_message.conversation_id,
          'role', p_message.role, 'text', p_message.content,
          'audio_url', p_message.audio_url, 'created_at', p_message.created_at)
      $$;
      create or replace function public.get_guest_allowance(p_session_id text, p_guest_limit integer default 10)
      returns jsonb language sql stable set search_path = '' as $$
        select jsonb_build_object('limit', p_guest_limit, 'used', 0)
      $$;`);
  });
  afterEach(() => {
    errors.mockClear();
  });
  afterAll(async () => {
    errors.mockRestore();
    await db?.close();
  });

  const transports: [string, () => Promise<{ port: DbPort; close(): Promise<void> }>][] = [
    [
      "SQL transport",
      async () => {
        const port = createPort(createSqlTransport(pgliteExecutor(db)));
        return { port, close: async () => undefined };
      },
    ],
    [
      "Supabase transport (supabase-js → PostgREST stand-in)",
      async () => {
        const standIn = await startPostgrestStandIn(pgliteBacking(db));
        const port = createPort(
          createSupabaseTransport({ url: standIn.url, secretKey: standIn.secretKey }),
        );
        return {
          port,
          close: async () => {
            await port.close();
            await standIn.close();
          },
        };
      },
    ],
  ];

  for (const [label, open] of transports) {
    it(`is an internal error naming the function and the field, never "" (${label})`, async () => {
      errors.mockImplementation(() => undefined);
      const { port, close } = await open();
      try {
        await withDatabase(port, async () => {
          const guest = newGuest();
          const [persona] = await chat.listPersonas();
          const conversation = await chat.startConversation(guest, persona?.id ?? "");
          // The post itself is saved (SQL committed it); reading its result back is what fails.
          await expectAppError(chat.postUserMessage(guest, conversation.id, "hi"), "internal");
          expect(String(errors.mock.calls.at(-1)?.[0])).toMatch(
            /^\[db\] post_user_message returned a result that does not match lib\/db\/results\.ts:[\s\S]*→ at message\.content/,
          );
          const error = await expectAppError(
            chat.getConversation(guest, conversation.id),
            "internal",
          );
          // The client gets the generic sentence; the details are in the log only.
          expect(error.message).toBe("Something went wrong on our side.");
          expect(String(errors.mock.calls.at(-1)?.[0])).toMatch(
            /get_conversation returned a result[\s\S]*→ at messages\[0\]\.content/,
          );

          await expectAppError(chat.getGuestAllowance(guest.sessionId), "internal");
          expect(String(errors.mock.calls.at(-1)?.[0])).toMatch(
            /get_guest_allowance returned a result[\s\S]*→ at remaining/,
          );
        });
      } finally {
        await close();
      }
    });
  }
});
