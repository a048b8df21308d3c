// Who answers: the reply model for the configured engine (the built-in personas, or any
// OpenAI-compatible API) behind one AI SDK provider. Every engine then goes through the same
// streamText call (stream-reply.ts), with the same timeout, cancellation and middleware.

import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { customProvider, wrapLanguageModel } from "ai";
import type { AiSettings } from "@/lib/config";
import { createBuiltinModel } from "./builtin-model";
import { failOnceMiddleware, slowReplyMiddleware } from "./fault-injection";
import type { ReplyModel } from "./stream-reply";

export type { AiSettings } from "@/lib/config";
export { createBuiltinModel } from "./builtin-model";
export { composeBuiltinReply } from "./builtin-reply";
export { FAIL_ONCE_TOKEN, resetFaultInjection } from "./fault-injection";
export { ReplyEngineError, type ReplyEngineErrorReason } from "./reply-error";
export type { ChatTurn, PersonaForReply, ReplyRequest } from "./reply-request";
export { type ReplyModel, type ReplyOutcome, streamReply } from "./stream-reply";
export { cleanTitle, makeTitle } from "./title";

function engineModel({ model }: AiSettings): ReplyModel {
  if (model.kind === "builtin") return createBuiltinModel({ delayMs: model.delayMs });
  const provider = createOpenAICompatible({
    name: "openai-compatible",
    baseURL: model.baseURL,
    apiKey: model.apiKey ?? undefined,
  });
  return provider.chatModel(model.model);
}

/** The provider of reply models: "reply" answers persona chats, with fault injection if it is on. */
export function createReplyProvider(settings: AiSettings) {
  const model = engineModel(settings);
  const reply = settings.faultInjection
    ? wrapLanguageModel({ model, middleware: [failOnceMiddleware, slowReplyMiddleware] })
    : model;
  return customProvider({ languageModels: { reply } });
}

/** The model that answers persona chats with these settings. */
export function getReplyModel(settings: AiSettings): ReplyModel {
  return createReplyProvider(settings).languageModel("reply");
}
