// What one reply asks of a model: the persona's system prompt, as much recent history as fits
// the context budget, and (as AI SDK provider options) who is speaking and which message is
// being answered, for the built-in model and the fault-injection middleware.

import type { LanguageModelV4CallOptions, LanguageModelV4Prompt } from "@ai-sdk/provider";
import type { ModelMessage } from "ai";
import { estimateTokens, fitHistoryToBudget } from "./context-budget";

export type ChatTurn = { role: "user" | "assistant"; content: string };

export type PersonaForReply = {
  slug: string;
  name: string;
  systemPrompt: string;
  greeting: string;
};

export type ReplyRequest = {
  persona: PersonaForReply;
  /** Oldest first; the last item is the user's message being answered. */
  history: ChatTurn[];
  /** Id of that message; a retry answers the same message, so it has the same id. */
  messageId: string;
};

/** The provider-options key of a reply call; other providers ignore it. */
const REPLY_CALL = "personaChat";

export type ReplyCallInfo = { slug: string; name: string; greeting: string; messageId: string };

/** The prompt part of the streamText call for one reply, within `contextTokens` (estimated). */
export function replyPrompt(request: ReplyRequest, contextTokens: number) {
  const { persona, messageId } = request;
  const history = fitHistoryToBudget(request.history, contextTokens, {
    reservedTokens: estimateTokens(persona.systemPrompt),
  });
  const call: ReplyCallInfo = {
    slug: persona.slug,
    name: persona.name,
    greeting: persona.greeting,
    messageId,
  };
  return {
    instructions: persona.systemPrompt,
    messages: history.map((turn): ModelMessage => ({ role: turn.role, content: turn.content })),
    providerOptions: { [REPLY_CALL]: call },
  };
}

/** Reads back what replyPrompt put in the provider options (empty strings when absent). */
export function replyCallInfo(options: LanguageModelV4CallOptions): ReplyCallInfo {
  const info = options.providerOptions?.[REPLY_CALL] ?? {};
  const text = (key: keyof ReplyCallInfo) => {
    const value = info[key];
    return typeof value === "string" ? value : "";
  };
  return {
    slug: text("slug"),
    name: text("name"),
    greeting: text("greeting"),
    messageId: text("messageId"),
  };
}

/** The user and assistant turns of a model prompt, as plain text. */
export function turnsOf(prompt: LanguageModelV4Prompt): ChatTurn[] {
  return prompt.flatMap((message) =>
    message.role === "user" || message.role === "assistant"
      ? [
          {
            role: message.role,
            content: message.content
              .map((part) => (part.type === "text" ? part.text : ""))
              .join(""),
          },
        ]
      : [],
  );
}
