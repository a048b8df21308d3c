// A STAND-IN for a remote OpenAI-compatible model API, for the Markdown e2e spec: a node:http
// server on 127.0.0.1 that answers POST /v1/chat/completions in the documented streaming format
// (server-sent `chat.completion.chunk` events, then `data: [DONE]`) with one fixed Markdown reply,
// a few characters at a time. It is not a model; it stands in for one so that a production build
// can be driven with `AI_BASE_URL` pointing here.
//
// When the last user message contains `[hold]`, the reply stops at each hold point of REPLY_PARTS
// until the test calls POST /control/release, so the test can look at half-finished Markdown
// while the reply is still streaming. GET /control/requests counts the completions asked for.
// A request that is not streamed (the app asking for a conversation title after the first reply)
// is answered at once with one `chat.completion` object holding TITLE, and counted as a title.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The reply, in the pieces between hold points. The first ends inside an open code fence, the
 * second in the middle of a bold phrase: both must already render as code and as bold.
 */
export const REPLY_PARTS = [
  "Here is **bold text** to start.\n\n- first item\n- second item\n\n| Name | Role |\n| --- | --- |\n| Ada | Engineer |\n\n```ts\nconst answer = 42;\n",
  "console.log(answer);\n```\n\nNow some **half-finished bold",
  " that ends here**. A [bad link](javascript:alert(document.domain)) and <script>window.__pwned = true</script> stay harmless, and [the docs](https://example.com/docs) open safely.",
];

export const FULL_REPLY = REPLY_PARTS.join("");

/** What the stand-in answers when asked for a title. */
export const TITLE = "Markdown in Many Forms";

/** Characters per streamed chunk, and the pause between chunks. */
const CHUNK_CHARS = 6;
const CHUNK_DELAY_MS = 15;

export type MarkdownModel = { url: string; close(): Promise<void> };

type Hold = { resolve: () => void };

function sse(res: ServerResponse, delta: Record<string, unknown>, finishReason: string | null) {
  const payload = {
    id: "chatcmpl-markdown-stand-in",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: "markdown-stand-in",
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
  res.write(`data: ${JSON.stringify(payload)}\n\n`);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return null;
  }
}

/** The text of the last user message of a chat-completions request body. */
function lastUserText(body: unknown): string {
  const messages = (body as { messages?: { role?: string; content?: unknown }[] } | null)?.messages;
  const last = messages?.findLast((m) => m.role === "user");
  if (typeof last?.content === "string") return last.content;
  if (Array.isArray(last?.content)) {
    return last.content.map((part: { text?: unknown }) => String(part.text ?? "")).join("");
  }
  return "";
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startMarkdownModel(port: number): Promise<MarkdownModel> {
  const waiting: Hold[] = [];
  let completions = 0;
  let titles = 0;

  async function streamReply(res: ServerResponse, hold: boolean, closed: () => boolean) {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    sse(res, { role: "assistant", content: "" }, null);
    for (const [index, part] of REPLY_PARTS.entries()) {
      if (hold && index > 0) await new Promise<void>((resolve) => waiting.push({ resolve }));
      for (let at = 0; at < part.length; at += CHUNK_CHARS) {
        if (closed()) return;
        sse(res, { content: part.slice(at, at + CHUNK_CHARS) }, null);
        await sleep(CHUNK_DELAY_MS);
      }
    }
    sse(res, {}, "stop");
    res.write("data: [DONE]\n\n");
    res.end();
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://stand-in").pathname;
    let closed = false;
    res.once("close", () => {
      closed = true;
    });
    void (async () => {
      if (req.method === "POST" && path === "/v1/chat/completions") {
        const body = await readBody(req);
        if ((body as { stream?: unknown } | null)?.stream !== true) {
          titles += 1;
          res.writeHead(200, { "content-type": "application/json" });
          res.end(
            JSON.stringify({
              id: "chatcmpl-title",
              object: "chat.completion",
              created: 1_700_000_000,
              model: "stand-in-model",
              choices: [
                { index: 0, message: { role: "assistant", content: TITLE }, finish_reason: "stop" },
              ],
              usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 },
            }),
          );
          return;
        }
        completions += 1;
        await streamReply(res, lastUserText(body).includes("[hold]"), () => closed);
        return;
      }
      if (req.method === "POST" && path === "/control/release") {
        const next = waiting.shift();
        next?.resolve();
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ released: Boolean(next), waiting: waiting.length }));
        return;
      }
      if (req.method === "GET" && path === "/control/requests") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ completions, titles, waiting: waiting.length }));
        return;
      }
      res.writeHead(404, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ error: { message: `No stand-in route for ${req.method} ${path}` } }),
      );
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const hold of waiting.splice(0)) hold.resolve();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
