// What each SQL function returns, as a zod schema per function: the port (port.ts) parses every
// result with its schema, producing the API's camelCase types (lib/chat/types.ts). A result that
// drifted from these shapes (a field missing, renamed or of another type) is an `internal` error
// naming the function, never a silent "" or 0.

import { z } from "zod";
import type {
  Allowance,
  Conversation,
  ConversationDetail,
  ConversationPage,
  ConversationSummary,
  DeletedAccount,
  DeletedConversation,
  Message,
  Persona,
  ReplyContext,
} from "@/lib/chat/types";
import { AppError } from "@/lib/errors";
import type {
  MessageAudioRecord,
  PersonaVoice,
  SavedAudio,
  SavedTranscript,
  StoredAudio,
  VoiceSessionContext,
} from "@/lib/voice/types";
import type { LocalAuthArgs, RpcName } from "./types";

// Unknown extra fields are dropped rather than refused: a migration may add a field to a result
// before the app that reads it is deployed. A missing or renamed field is refused.

const id = z.guid();
// to_jsonb(timestamptz) is ISO 8601 with an offset, e.g. 2025-11-01T10:00:00.123456+00:00.
const timestamp = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();
const role = z.enum(["user", "assistant", "system"]);

/** chat_private.chat_conversation_json */
const conversationFields = {
  id,
  persona_id: id.nullable(),
  title: z.string().nullable(),
  status: z.enum(["active", "ended", "error"]),
  is_guest_session: z.boolean(),
  created_at: timestamp,
  updated_at: timestamp,
  ended_at: timestamp.nullable(),
};

type ConversationJson = z.infer<z.ZodObject<typeof conversationFields>>;

const toConversation = (r: ConversationJson): Conversation => ({
  id: r.id,
  personaId: r.persona_id,
  title: r.title,
  status: r.status,
  isGuestSession: r.is_guest_session,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  endedAt: r.ended_at,
});

const conversation = z.object(conversationFields).transform(toConversation);

/** chat_private.chat_message_json */
const message = z
  .object({
    id,
    role,
    content: z.string(),
    audio_url: z.string().nullable(),
    stopped: z.boolean(),
    created_at: timestamp,
  })
  .transform(
    (r): Message => ({
      id: r.id,
      role: r.role,
      content: r.content,
      audioUrl: r.audio_url,
      stopped: r.stopped,
      createdAt: r.created_at,
    }),
  );

/** chat_private.chat_guest_allowance for a guest session (the caller is not a user). */
const guestAllowance = z
  .object({ limit: count, used: count, remaining: count })
  .transform(
    (r): NonNullable<Allowance> => ({ limit: r.limit, used: r.used, remaining: r.remaining }),
  );

/** The allowance of a post or a retry: null for a signed-in user, who has no cap. */
const allowance = guestAllowance.nullable();

/** A row of list_personas, and get_conversation's persona. */
const persona = z
  .object({
    id,
    slug: z.string(),
    name: z.string(),
    tagline: z.string(),
    greeting: z.string(),
    avatar_url: z.string().nullable(),
  })
  .transform(
    (r): Persona => ({
      id: r.id,
      slug: r.slug,
      name: r.name,
      tagline: r.tagline,
      avatarUrl: r.avatar_url,
      greeting: r.greeting,
    }),
  );

/** chat_private.chat_reply_context's persona: what the reply engine needs. */
const replyPersona = z
  .object({
    id,
    slug: z.string(),
    name: z.string(),
    system_prompt: z.string(),
    greeting: z.string(),
  })
  .transform((r): ReplyContext["persona"] => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    systemPrompt: r.system_prompt,
    greeting: r.greeting,
  }));

/**
 * The persona of a conversation that has none: legacy conversations (from before personas,
 * persona_id null) can still be posted to, and the reply engine answers them in its default
 * voice. SQL says so explicitly with `"persona": null`; a missing key is still a drift.
 */
export const NO_PERSONA: ReplyContext["persona"] = Object.freeze({
  id: "",
  slug: "",
  name: "",
  systemPrompt: "",
  greeting: "",
});

/** The Storage objects of deleted audio (supabase mode); always empty in the database modes. */
const storagePaths = z.array(z.string().min(1));

/** post_user_message, post_voice_message and prepare_retry: the user message and its reply's needs. */
const replyContextFields = {
  message,
  conversation,
  allowance,
  lease: z
    .object({ id, expires_at: timestamp })
    .transform((l) => ({ id: l.id, expiresAt: l.expires_at })),
  persona: replyPersona.nullable(),
  history: z.array(z.object({ role: z.enum(["user", "assistant"]), content: z.string() })),
};

const toReplyContext = (
  r: z.output<z.ZodObject<typeof replyContextFields>>,
  replaced: ReplyContext["replaced"],
): ReplyContext => ({
  userMessage: r.message,
  conversation: r.conversation,
  allowance: r.allowance,
  lease: r.lease,
  replaced,
  persona: r.persona ?? NO_PERSONA,
  history: r.history.map((h) => ({ role: h.role, content: h.content })),
});

/** A post (typed or voice): a new message, so nothing is replaced. */
const replyContext = z.object(replyContextFields).transform((r) => toReplyContext(r, null));

/** prepare_retry: a retry (`replaced` null) or a regeneration (the reply it replaces). */
const retryContext = z
  .object({
    ...replyContextFields,
    replaced: z.object({ message_id: id, storage_paths: storagePaths }).nullable(),
  })
  .transform((r) =>
    toReplyContext(
      r,
      r.replaced
        ? { messageId: r.replaced.message_id, storagePaths: r.replaced.storage_paths }
        : null,
    ),
  );

// list_conversations left-joins the persona, so a conversation without one has all four null.
const summaryPersona = z.union([
  z.object({ id, slug: z.string(), name: z.string(), avatar_url: z.string().nullable() }).transform(
    (p): NonNullable<ConversationSummary["persona"]> => ({
      id: p.id,
      slug: p.slug,
      name: p.name,
      avatarUrl: p.avatar_url,
    }),
  ),
  z
    .object({ id: z.null(), slug: z.null(), name: z.null(), avatar_url: z.null() })
    .transform(() => null),
]);

/** An item of list_conversations: the conversation's JSON with three more fields. */
const conversationSummary = z
  .object({
    ...conversationFields,
    persona: summaryPersona,
    last_message: z.object({ role, content: z.string(), created_at: timestamp }).nullable(),
    message_count: count,
  })
  .transform(
    (r): ConversationSummary => ({
      ...toConversation(r),
      persona: r.persona,
      lastMessage: r.last_message
        ? {
            role: r.last_message.role,
            content: r.last_message.content,
            createdAt: r.last_message.created_at,
          }
        : null,
      messageCount: r.message_count,
    }),
  );

/** list_conversations: a page, newest first, and the cursor of the next one. */
const conversationPage = z
  .object({
    conversations: z.array(conversationSummary),
    has_more: z.boolean(),
    next_before: z.string().min(1).nullable(),
  })
  .transform(
    (r): ConversationPage => ({
      conversations: r.conversations,
      hasMore: r.has_more,
      nextBefore: r.next_before,
    }),
  );

const conversationDetail = z
  .object({
    conversation,
    persona: persona.nullable(),
    messages: z.array(message),
    allowance,
    has_more: z.boolean(),
    next_before: id.nullable(),
  })
  .transform(
    (r): ConversationDetail => ({
      conversation: r.conversation,
      persona: r.persona,
      messages: r.messages,
      allowance: r.allowance,
      hasMore: r.has_more,
      nextBefore: r.next_before,
    }),
  );

const deletedConversation = z
  .object({ id, storage_paths: storagePaths })
  .transform((r): DeletedConversation => ({ id: r.id, storagePaths: r.storage_paths }));

const deletedAccount = z
  .object({ conversations: count, storage_paths: storagePaths, user_deleted: z.boolean() })
  .transform(
    (r): DeletedAccount => ({
      conversations: r.conversations,
      storagePaths: r.storage_paths,
      userDeleted: r.user_deleted,
    }),
  );

// Voice (supabase/migrations/20251201000000_persona_voices_and_audio.sql) ------------------------

const audioContentType = z.enum(["audio/mpeg", "audio/wav", "audio/ogg", "audio/webm"]);

/** chat_private.chat_persona_voice: null for a conversation without a persona. */
const personaVoiceFields = {
  elevenlabs_voice_id: z.string().nullable(),
  builtin: z
    .object({ voice: z.string(), pitch: z.number().int(), speed: z.number().int() })
    .nullable(),
};

const toPersonaVoice = (r: z.infer<z.ZodObject<typeof personaVoiceFields>>): PersonaVoice => ({
  elevenlabsVoiceId: r.elevenlabs_voice_id,
  builtin: r.builtin
    ? { voice: r.builtin.voice, pitch: r.builtin.pitch, speed: r.builtin.speed }
    : null,
});

const NO_VOICE: PersonaVoice = Object.freeze({ elevenlabsVoiceId: null, builtin: null });

/** chat_private.chat_audio_json */
const audioFields = {
  content_type: audioContentType,
  byte_size: count,
  duration_ms: count,
  storage_path: z.string().nullable(),
  created_at: timestamp,
};

const storedAudio = z.object({ ...audioFields, data: z.string().nullable() }).transform(
  (r): StoredAudio => ({
    contentType: r.content_type,
    byteSize: r.byte_size,
    durationMs: r.duration_ms,
    storagePath: r.storage_path,
    data: r.data,
    createdAt: r.created_at,
  }),
);

const messageAudioRecord = z
  .object({
    message,
    audio: storedAudio.nullable(),
    voice: z.object(personaVoiceFields).nullable(),
  })
  .transform(
    (r): MessageAudioRecord => ({
      message: r.message,
      audio: r.audio,
      voice: r.voice ? toPersonaVoice(r.voice) : NO_VOICE,
    }),
  );

const savedAudio = z
  .object({ ...audioFields, created: z.boolean(), audio_url: z.string() })
  .transform(
    (r): SavedAudio => ({
      contentType: r.content_type,
      byteSize: r.byte_size,
      durationMs: r.duration_ms,
      storagePath: r.storage_path,
      createdAt: r.created_at,
      created: r.created,
      audioUrl: r.audio_url,
    }),
  );

const voiceSessionContext = z
  .object({
    conversation,
    persona: z
      .object({
        id,
        slug: z.string(),
        name: z.string(),
        system_prompt: z.string(),
        greeting: z.string(),
        ...personaVoiceFields,
      })
      .nullable(),
  })
  .transform(
    (r): VoiceSessionContext => ({
      conversation: r.conversation,
      persona: r.persona
        ? {
            id: r.persona.id,
            slug: r.persona.slug,
            name: r.persona.name,
            systemPrompt: r.persona.system_prompt,
            greeting: r.persona.greeting,
            voice: toPersonaVoice(r.persona),
          }
        : null,
    }),
  );

const savedTranscript = z
  .object({ saved: z.boolean(), message_count: count, conversation })
  .transform(
    (r): SavedTranscript => ({
      saved: r.saved,
      messageCount: r.message_count,
      conversation: r.conversation,
    }),
  );

/**
 * One schema per function in schema `public` (the ones lib/database.types.ts lists). The
 * `satisfies` makes a function added to the generated types without a schema a type error.
 */
export const RPC_RESULTS = {
  list_personas: z.array(persona),
  start_conversation: conversation,
  post_user_message: replyContext,
  prepare_retry: retryContext,
  save_assistant_message: z
    .object({ message, conversation })
    .transform((r) => ({ message: r.message, conversation: r.conversation })),
  set_conversation_status: conversation,
  end_conversation: conversation,
  list_conversations: conversationPage,
  get_conversation: conversationDetail,
  rename_conversation: conversation,
  delete_conversation: deletedConversation,
  delete_account: deletedAccount,
  get_guest_allowance: guestAllowance,
  claim_guest_conversations: count,
  get_message_audio: messageAudioRecord,
  save_message_audio: savedAudio,
  post_voice_message: replyContext,
  get_voice_session_context: voiceSessionContext,
  save_voice_transcript: savedTranscript,
} satisfies Record<RpcName, z.ZodType>;

/** {id, email} of an account in auth.users. */
const account = z
  .object({ id, email: z.string() })
  .transform((r) => ({ id: r.id, email: r.email }));

/** {id, auth_time, expires_at} of a built-in session (epoch seconds). */
const localSession = z
  .object({ id, auth_time: z.number().int(), expires_at: z.number().int() })
  .transform((r) => ({ id: r.id, authTime: r.auth_time, expiresAt: r.expires_at }));

const signedIn = z.object({ user: account, session: localSession });

/** One schema per function of the built-in sign-in, in schema local_auth (not exposed). */
export const LOCAL_AUTH_RESULTS = {
  sign_up: z.discriminatedUnion("status", [
    z.object({ status: z.literal("created"), user: account, session: localSession }),
    z.object({ status: z.literal("email_taken") }),
  ]),
  begin_sign_in: z
    .object({
      attempt_id: id,
      user: z
        .object({ id, email: z.string(), encrypted_password: z.string().nullable() })
        .nullable(),
    })
    .transform((r) => ({
      attemptId: r.attempt_id,
      user: r.user
        ? { id: r.user.id, email: r.user.email, passwordHash: r.user.encrypted_password }
        : null,
    })),
  finish_sign_in: signedIn,
  session_user: account.nullable(),
  refresh_session: signedIn.extend({ rotated: z.boolean() }).nullable(),
  revoke_session: count,
  revoke_user_sessions: count,
} satisfies Record<keyof LocalAuthArgs, z.ZodType>;

/**
 * Parses `value`, the result of the function `name`, with `schema`. A mismatch is logged with
 * the function and zod's issues and thrown as `internal`: the SQL and this file disagree, which
 * a deploy must not paper over.
 */
export function parseResult<T>(name: string, schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  console.error(
    `[db] ${name} returned a result that does not match lib/db/results.ts:\n${z.prettifyError(parsed.error)}`,
  );
  throw new AppError("internal", undefined, {
    cause: new Error(`Unexpected result from ${name}`, { cause: parsed.error }),
  });
}
