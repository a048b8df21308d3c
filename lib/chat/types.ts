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
  createdAt: string;
};

/** `null` for signed-in users, who have no cap. */
export type Allowance = { limit: number; used: number; remaining: number } | null;

export type ConversationSummary = Conversation & {
  persona: { id: string; slug: string; name: string; avatarUrl: string | null } | null;
  lastMessage: { role: MessageRole; content: string; createdAt: string } | null;
  messageCount: number;
};

export type ConversationDetail = {
  conversation: Conversation;
  persona: Persona | null;
  messages: Message[];
  allowance: Allowance;
};

/** What one post (or a retry) returns: the saved message and everything the reply needs. */
export type ReplyContext = {
  userMessage: Message;
  conversation: Conversation;
  allowance: Allowance;
  persona: { id: string; slug: string; name: string; systemPrompt: string; greeting: string };
  history: { role: "user" | "assistant"; content: string }[];
};
