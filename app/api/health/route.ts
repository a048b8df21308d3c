// Readiness: the database answers. With `Authorization: Bearer <HEALTH_TOKEN>` it also reports
// the port's call counts, which the benchmark reads to count database round trips instead of
// assuming them; anyone else learns only whether the app is up.

import { timingSafeEqual } from "node:crypto";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { toAppError } from "@/lib/errors";
import { otherMethods } from "@/lib/http/methods";
import { jsonResponse } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/** True only for the configured token; no token configured means nobody sees the details. */
function mayReadDetails(request: Request, token: string | null): boolean {
  if (!token) return false;
  const given = /^Bearer (.+)$/i.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  // Constant time, so the answer's timing does not reveal how much of a guess was right.
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function GET(request: Request) {
  try {
    const config = getConfig();
    const db = await getDb();
    await db.rpc("list_personas", {});
    const details = mayReadDetails(request, config.healthToken) ? { db: db.stats() } : {};
    return jsonResponse({ ok: true, mode: config.mode, ...details });
  } catch (error) {
    const e = toAppError(error);
    return jsonResponse(
      { ok: false, error: { code: e.code, message: e.message } },
      { status: 503 },
    );
  }
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
