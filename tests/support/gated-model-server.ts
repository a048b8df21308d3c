// A local stand-in for a remote OpenAI-compatible model API whose replies wait at a gate: each
// chat-completions request streams its first words (the documented server-sent events format),
// then waits until the test calls release(), then finishes. A test can thus hold a reply in
// flight for as long as it needs (say, until ten concurrent posts have all been answered),
// with no timing involved. A request that is not streamed (the app asking for a conversation's
// title after its first reply) is answered at once as one chat.completion, and counted apart.

import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type GatedModelServer = {
  /** Base URL for AI_BASE_URL, e.g. http://127.0.0.1:43210/v1. */
  baseURL: string;
  /** How many streamed chat-completions requests (replies) have arrived. */
  requests(): number;
  /** How many title requests (not streamed) have arrived. */
  titles(): number;
  /** Resolves once `n` requests have arrived and sent their first words. */
  started(n: number): Promise<void>;
  /** Lets every waiting and future reply finish. */
  release(): void;
  close(): Promise<void>;
};

const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
  `data: ${JSON.stringify({
    id: "chatcmpl-gated",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: "gated-model",
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  })}\n\n`;

export async function startGatedModelServer(
  words = ["Patience, ", "friend: ", "here ", "is ", "my ", "answer."],
): Promise<GatedModelServer> {
  let count = 0;
  let titles = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const waiters: { n: number; resolve: () => void }[] = [];
  const sockets = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (part: Buffer) => parts.push(part));
    req.on("end", async () => {
      let streamed = false;
      try {
        streamed = JSON.parse(Buffer.concat(parts).toString("utf8")).stream === true;
      } catch {}
      if (!streamed) {
        titles += 1;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            id: "chatcmpl-gated-title",
            object: "chat.completion",
            created: 1_700_000_000,
            model: "gated-model",
            choices: [
              {
                index: 0,
                message: { role: "assistant", content: "A patient answer" },
                finish_reason: "stop",
              },
            ],
          }),
        );
        return;
      }
      sockets.add(res);
      res.once("close", () => sockets.delete(res));
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      const [first = "", ...rest] = words;
      res.write(chunk({ role: "assistant", content: first }, null));
      count += 1;
      for (const waiter of waiters.filter((w) => w.n <= count)) waiter.resolve();
      await gate;
      if (res.destroyed) return;
      for (const word of rest) res.write(chunk({ content: word }, null));
      res.write(chunk({}, "stop"));
      res.end("data: [DONE]\n\n");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests: () => count,
    titles: () => titles,
    started: (n) =>
      count >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve })),
    release: () => open(),
    close: () =>
      new Promise<void>((resolve) => {
        open();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
