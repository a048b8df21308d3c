// The ElevenLabs STAND-IN for the voice e2e specs: the two stand-ins that follow ElevenLabs'
// documented APIs, joined the way the real service is reached:
//   - HTTP on `httpPort` (the app's ELEVENLABS_BASE_URL): text-to-speech, speech-to-text and the
//     conversation transcript from tests/voice/elevenlabs-stand-in.ts (passed through), and the
//     signed URL from ./elevenlabs-agents-stand-in.ts;
//   - the Agents WebSocket over TLS on `agentsPort`, which signed URLs name as
//     wss://agents.stand-in.elevenlabs.io (Chromium resolves it here; the certificate is
//     self-signed, made with openssl at start-up).
// Tests read what it received from GET /__stand-in/sessions and /__stand-in/requests on the HTTP
// port (not part of ElevenLabs' API).

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { startElevenLabsStandIn } from "../../tests/voice/elevenlabs-stand-in";
import { type AgentsSession, createAgentsStandIn } from "./elevenlabs-agents-stand-in";
import { AGENTS_STAND_IN_HOST } from "./voice-e2e";

/** What GET /__stand-in/requests answers: each HTTP request the stand-in received. */
export type StandInRequestSummary = {
  method: string;
  path: string;
  query: Record<string, string>;
  /** It carried the right xi-api-key. */
  keyAccepted: boolean;
  contentType: string | null;
  bytes: number;
};

export type { AgentsSession };

function selfSignedCertificate(host: string): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(path.join(tmpdir(), "agents-stand-in-"));
  try {
    const key = path.join(dir, "key.pem");
    const cert = path.join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-keyout",
        key,
        "-out",
        cert,
        "-subj",
        `/CN=${host}`,
        "-addext",
        `subjectAltName=DNS:${host}`,
      ],
      { stdio: "ignore" },
    );
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function json(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

export async function startElevenLabsE2EStandIn(options: {
  httpPort: number;
  agentsPort: number;
  apiKey: string;
}) {
  const http = await startElevenLabsStandIn(options.apiKey);
  const agents = createAgentsStandIn({
    apiKey: options.apiKey,
    conversations: http.conversations,
    // Port 443 in the URL: Chromium maps the name and port to agentsPort on 127.0.0.1.
    publicOrigin: () => `wss://${AGENTS_STAND_IN_HOST}`,
  });

  /** Hands the request to the HTTP stand-in and its answer back, unchanged. */
  async function passThrough(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === "string" && !["host", "connection", "content-length"].includes(name)) {
        headers.set(name, value);
      }
    }
    const hasBody = request.method !== "GET" && request.method !== "HEAD";
    const answer = await fetch(`${http.url}${request.url ?? "/"}`, {
      method: request.method,
      headers,
      body: hasBody ? Buffer.concat(chunks) : undefined,
    });
    const out = Buffer.from(await answer.arrayBuffer());
    response.writeHead(answer.status, {
      "content-type": answer.headers.get("content-type") ?? "application/octet-stream",
    });
    response.end(out);
  }

  const front = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://stand-in");
    if (url.pathname === "/__stand-in/health") return json(response, 200, { ok: true });
    if (url.pathname === "/__stand-in/sessions") {
      return json(response, 200, { sessions: agents.sessions });
    }
    if (url.pathname === "/__stand-in/requests") {
      const requests: StandInRequestSummary[] = http.requests.map((r) => ({
        method: r.method,
        path: r.path,
        query: Object.fromEntries(r.query),
        keyAccepted: r.headers["xi-api-key"] === options.apiKey,
        contentType: r.headers["content-type"] ?? null,
        bytes: r.body.byteLength,
      }));
      return json(response, 200, { requests });
    }
    if (agents.handleSignedUrl(request, response)) return;
    passThrough(request, response).catch((error: unknown) => {
      console.error("[stand-in] pass-through failed", error);
      if (!response.headersSent) json(response, 502, { detail: "stand-in pass-through failed" });
      else response.destroy();
    });
  });

  const tls = createTlsServer(selfSignedCertificate(AGENTS_STAND_IN_HOST), (_request, response) =>
    json(response, 404, { detail: "Not Found" }),
  );
  tls.on("upgrade", (request, socket, head) => agents.handleUpgrade(request, socket, head));

  await new Promise<void>((resolve) => front.listen(options.httpPort, "127.0.0.1", resolve));
  await new Promise<void>((resolve) => tls.listen(options.agentsPort, "127.0.0.1", resolve));

  return {
    url: `http://127.0.0.1:${options.httpPort}`,
    async close() {
      agents.close();
      front.closeAllConnections();
      tls.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => front.close(() => resolve())),
        new Promise<void>((resolve) => tls.close(() => resolve())),
      ]);
      await http.close();
    },
  };
}
