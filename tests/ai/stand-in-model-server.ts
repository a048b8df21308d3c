// A local stand-in for a remote OpenAI-compatible model API: a node:http server on 127.0.0.1
// that speaks the documented chat-completions format, streamed (server-sent events) and, for a
// request without `stream: true`, as one `chat.completion` object, so the OpenAI-compatible
// engine is tested through the real AI SDK and a real HTTP connection.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Scenario =
  /**
   * Streams `chunks`, then a finish chunk, then [DONE]. A request that is not streamed (a title)
   * is answered with `completion` as one chat.completion object.
   */
  | { kind: "stream"; chunks: string[]; completion?: string }
  /** Answers with an HTTP status and an OpenAI-style error body. */
  | { kind: "http-error"; status: number }
  /** Streams `chunks`, then keeps the response open without ever finishing. */
  | { kind: "hang"; chunks: string[] }
  /** Streams `chunks`, then one line that is not JSON, then finishes normally. */
  | { kind: "malformed"; chunks: string[] }
  /** Streams `chunks`, then an in-stream error object, as providers do when they fail mid-reply. */
  | { kind: "error-chunk"; chunks: string[] }
  /** Streams a chunk every `intervalMs` for as long as the client stays connected. */
  | { kind: "endless"; intervalMs: number };

export type RecordedRequest = {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage["headers"];
  body: unknown;
  /** Resolves when the connection for this request closes, whoever closed it. */
  closed: Promise<void>;
};

export type StandInServer = {
  /** Base URL to hand to the engine, e.g. http://127.0.0.1:43210/v1. */
  baseURL: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
};

const CREATED = 1_700_000_000;

function sseChunk(id: string, delta: Record<string, unknown>, finishReason: string | null): string {
  const payload = {
    id,
    object: "chat.completion.chunk",
    created: CREATED,
    model: "stand-in-model",
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
  return `data: ${JSON.stringify(payload)}\n\n`;
}

function startEventStream(res: ServerResponse): void {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
}

function writeChunks(res: ServerResponse, id: string, chunks: string[]): void {
  chunks.forEach((text, index) => {
    const delta = index === 0 ? { role: "assistant", content: text } : { content: text };
    res.write(sseChunk(id, delta, null));
  });
}

function finish(res: ServerResponse, id: string): void {
  res.write(sseChunk(id, {}, "stop"));
  res.write("data: [DONE]\n\n");
  res.end();
}

/** The documented non-streamed answer: one chat.completion object. */
function completion(res: ServerResponse, id: string, content: string): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(
    JSON.stringify({
      id,
      object: "chat.completion",
      created: CREATED,
      model: "stand-in-model",
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    }),
  );
}

function respond(
  scenario: Scenario,
  res: ServerResponse,
  closed: Promise<void>,
  streamed: boolean,
): void {
  const id = "chatcmpl-stand-in";
  switch (scenario.kind) {
    case "stream":
      if (!streamed) {
        completion(res, id, scenario.completion ?? scenario.chunks.join(""));
        return;
      }
      startEventStream(res);
      writeChunks(res, id, scenario.chunks);
      finish(res, id);
      return;
    case "http-error":
      res.writeHead(scenario.status, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: { message: "The stand-in model failed.", type: "server_error", code: null },
        }),
      );
      return;
    case "hang":
      startEventStream(res);
      writeChunks(res, id, scenario.chunks);
      return;
    case "malformed":
      startEventStream(res);
      writeChunks(res, id, scenario.chunks);
      res.write("data: {not json\n\n");
      finish(res, id);
      return;
    case "error-chunk":
      startEventStream(res);
      writeChunks(res, id, scenario.chunks);
      res.write(
        `data: ${JSON.stringify({ error: { message: "The stand-in model is overloaded.", type: "server_error" } })}\n\n`,
      );
      res.end();
      return;
    case "endless": {
      startEventStream(res);
      let count = 0;
      const timer = setInterval(() => {
        count += 1;
        res.write(sseChunk(id, { content: `tick${count} ` }, null));
      }, scenario.intervalMs);
      res.write(sseChunk(id, { role: "assistant", content: "tick0 " }, null));
      void closed.then(() => clearInterval(timer));
      return;
    }
  }
}

export async function startStandInServer(scenario: Scenario): Promise<StandInServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const closed = new Promise<void>((resolve) => {
      res.once("close", () => resolve());
    });
    const parts: Buffer[] = [];
    req.on("data", (part: Buffer) => parts.push(part));
    req.on("end", () => {
      const text = Buffer.concat(parts).toString("utf8");
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      requests.push({ method: req.method, url: req.url, headers: req.headers, body, closed });
      const streamed =
        typeof body === "object" && body !== null && (body as { stream?: unknown }).stream === true;
      respond(scenario, res, closed, streamed);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
