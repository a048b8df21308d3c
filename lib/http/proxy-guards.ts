// For proxy.ts: refuses a page or server-action request whose declared body is over the cap.
// Next.js 16 answers an oversized server action with a 500 (its own limit error is not mapped to
// 413), so the proxy answers 413 first. A body with no declared length (chunked) still meets the
// action's bodySizeLimit in next.config.ts (500). API routes have caps of their own (64 KB of
// JSON, more for a voice recording), checked while their handler reads the body, so they pass.

import { AppError } from "@/lib/errors";
import { MAX_BODY_BYTES } from "./body-limits";
import { errorResponse } from "./errors";

/** 413 payload_too_large in the API's JSON error format, or null to go on. */
export function refuseOversizedBody(request: Request): Response | null {
  const { pathname } = new URL(request.url);
  if (pathname === "/api" || pathname.startsWith("/api/")) return null;
  const declared = Number(request.headers.get("content-length"));
  if (!Number.isFinite(declared) || declared <= MAX_BODY_BYTES) return null;
  return errorResponse(
    new AppError("payload_too_large", `The request body may be at most ${MAX_BODY_BYTES} bytes.`),
  );
}
