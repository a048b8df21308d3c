// The domain's types as the HTTP API and the UI see them; lib/db/results.ts parses SQL into them.

export type ConversationStatus = "active" | "ended" | "error";
export type MessageRole = "user" | "assistant" | "system";

/** Who is asking. Every domain call takes one; the SQL functions check ownership with it. */
export type Actor =
  | { kind: "guest"; sessionId: string }
  | { kind: "user"; userId: string; email: string | null };

export type Persona = {
  id: string;
  slug: string;
  name: string;
  tagline: string;
  avatarUrl: string | null;
  greeting: string;
};

export type Conversation = {
  id: string;
  personaId: string | null;
  /** From the first message's first words, or as the owner renamed it; null before any message. */
  title: string | null;
  /**
   * As stored, except that a conversation whose newest message is an unanswered user message
   * with no reply being generated reads `error` (its reply was lost), and Retry answers it.
   */
  status: ConversationStatus;
  isGuestSession: boolean;
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
};

export type Message = {
  id: string;
  role: MessageRole;
  content: string;
  audioUrl: string | null;
  /** A persona reply the visitor stopped while it streamed: kept as it was, not an error. */
  stopped: boolean;
  createdAt: string;
};

/** `null` for signed-in users, who have no cap. */
export type Allowance = { limit: number; used: number; remaining: number } | null;

export type ConversationSummary = Conversation & {
  persona: { id: string; slug: string; name: string; avatarUrl: string | null } | null;
  lastMessage: { role: MessageRole; content: string; createdAt: string } | null;
  messageCount: number;
};

/** A conversation with a page of its messages: the newest ones, oldest first. */
export type ConversationDetail = {
  conversation: Conversation;
  persona: Persona | null;
  messages: Message[];
  allowance: Allowance;
  /** Whether there are earlier messages; pass `nextBefore` as `before` to read them. */
  hasMore: boolean;
  /** The oldest message of this page (a message id) when there are earlier ones, else null. */
  nextBefore: string | null;
};

/** A page of the caller's conversations, most recently active first. */
export type ConversationPage = {
  conversations: ConversationSummary[];
  hasMore: boolean;
  /** The cursor of the next page (opaque; pass it back as `before`), or null on the last page. */
  nextBefore: string | null;
};

/** The lease a reply holds while it is generated: only one per conversation at a time. */
export type ReplyLease = { id: string; expiresAt: string };

/** What one post (or a retry) returns: the saved message and everything the reply needs. */
export type ReplyContext = {
  userMessage: Message;
  conversation: Conversation;
  allowance: Allowance;
  /** Pass its id when saving the reply or marking it failed (that releases it). */
  lease: ReplyLease;
  /**
   * A regeneration: the reply it replaces, already deleted, with the Storage objects of its
   * audio (supabase mode) to delete. Null for a post or a retry.
   */
  replaced: { messageId: string; storagePaths: string[] } | null;
  persona: { id: string; slug: string; name: string; systemPrompt: string; greeting: string };
  history: { role: "user" | "assistant"; content: string }[];
};

/** What delete_conversation removed: the Storage objects of its audio are the app's to delete. */
export type DeletedConversation = { id: string; storagePaths: string[] };

/** What delete_account removed. */
export type DeletedAccount = {
  conversations: number;
  /** The Storage objects (supabase mode) of the account's audio, for the app to delete. */
  storagePaths: string[];
  /** False when the auth user was left for Supabase's Auth Admin API to delete. */
  userDeleted: boolean;
};
