// Runs before every page, action and API request: keeps the visitor's session fresh through the
// sign-in port. It only refreshes; every page, action and route handler still checks who is
// asking itself.

import { type NextRequest, NextResponse } from "next/server";
import { getAuth } from "@/lib/auth";
import { ConfigError } from "@/lib/config";

export async function proxy(request: NextRequest) {
  let auth: Awaited<ReturnType<typeof getAuth>>;
  try {
    auth = await getAuth();
  } catch (error) {
    // instrumentation.ts stops start-up on a bad setting; this covers a server started anyway.
    if (!(error instanceof ConfigError)) throw error;
    return NextResponse.json(
      { error: { code: "service_unavailable", message: error.message } },
      { status: 503 },
    );
  }
  return auth.refreshSession(request);
}

export const config = {
  // Everything except build assets and static files.
  matcher: [
    "/((?!_next/static|_next/image|favicon.ico|avatars/|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico|txt|xml)$).*)",
  ],
};
