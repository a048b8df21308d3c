// A reply in a process of its own, for tests that kill it mid-reply (tests/hardening/
// kill-mid-reply.test.ts): with the app's own code (startReply, createReplyStream, getReplyModel
// on the settings in the environment, postgres mode on DATABASE_URL), it posts REPLY_CONTENT to
// REPLY_CONVERSATION_ID as the guest REPLY_SESSION_ID from REPLY_IP and streams the reply,
// printing one JSON line per event on stdout. Run with
//   node --conditions=react-server --import tsx tests/support/reply-in-child.ts

import { getReplyModel } from "@/lib/ai";
import { startReply } from "@/lib/chat/reply";
import { createReplyStream } from "@/lib/chat/reply-stream";
import type { Actor } from "@/lib/chat/types";
import { getConfig } from "@/lib/config";

const say = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);

const { REPLY_SESSION_ID, REPLY_CONVERSATION_ID, REPLY_CONTENT, REPLY_IP } = process.env;
if (!REPLY_SESSION_ID || !REPLY_CONVERSATION_ID || !REPLY_CONTENT || !REPLY_IP) {
  throw new Error("Set REPLY_SESSION_ID, REPLY_CONVERSATION_ID, REPLY_CONTENT and REPLY_IP.");
}
const actor: Actor = { kind: "guest", sessionId: REPLY_SESSION_ID };
const settings = getConfig().ai;
const context = await startReply(
  actor,
  REPLY_CONVERSATION_ID,
  { kind: "message", content: REPLY_CONTENT },
  REPLY_IP,
);
say({ type: "posted", userMessageId: context.userMessage.id, lease: context.lease });
const reader = createReplyStream({
  actor,
  context,
  model: getReplyModel(settings),
  settings,
}).getReader();
for (;;) {
  const { done, value } = await reader.read();
  if (done) break;
  say({ type: value.type });
}
say({ type: "done" });
process.exit(0);
