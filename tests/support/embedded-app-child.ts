// One app process on the embedded database, for tests that start two on one PGLITE_DIR
// (tests/hardening/two-app-processes.test.ts): it starts as the server does (instrumentation.ts's
// register(): the settings, then the database with its folder lock, stopping with one sentence
// if another process holds it), prints "ready", then answers commands on stdin, one a line:
//   post   a new guest conversation, a message and its reply (the app's reply code) → "posted <id>"
//   exit   closes the database (releasing the lock) and exits 0
// Run with NEXT_RUNTIME=nodejs and
//   node --conditions=react-server --import tsx tests/support/embedded-app-child.ts

import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { register } from "@/instrumentation";
import { getReplyModel } from "@/lib/ai";
import { runReply, startReply } from "@/lib/chat/reply";
import { listPersonas, startConversation } from "@/lib/chat/service";
import type { Actor } from "@/lib/chat/types";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";

await register();
const db = await getDb();
process.stdout.write("ready\n");

let posted = 0;
async function post(): Promise<string> {
  const actor: Actor = { kind: "guest", sessionId: randomBytes(24).toString("base64url") };
  const [persona] = await listPersonas();
  const conversation = await startConversation(actor, persona?.id ?? "", `10.77.0.${++posted}`);
  const context = await startReply(actor, conversation.id, {
    kind: "message",
    content: `message ${posted} from pid ${process.pid}`,
  });
  const settings = getConfig().ai;
  await runReply({ actor, context, model: getReplyModel(settings), settings });
  return conversation.id;
}

for await (const line of createInterface({ input: process.stdin })) {
  const command = line.trim();
  if (command === "post") process.stdout.write(`posted ${await post()}\n`);
  if (command === "exit") {
    await db.close();
    process.exit(0);
  }
}
