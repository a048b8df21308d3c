// Readiness: the database answers. Also reports the port's call counts, which the benchmark
// reads to count database round trips instead of assuming them.

import { NextResponse } from "next/server";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { toAppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    const db = await getDb();
    await db.rpc("list_personas", {});
    return NextResponse.json({ ok: true, mode: getConfig().mode, db: db.stats() });
  } catch (error) {
    const e = toAppError(error);
    return NextResponse.json(
      { ok: false, error: { code: e.code, message: e.message } },
      { status: 503 },
    );
  }
}
