// Runs before every page, action and API request: keeps the visitor's session fresh through the
// sign-in port. It only refreshes; every page, action and route handler still checks who is
// asking itself.

import { type NextRequest, NextResponse } from "next/server";
import { getAuth } from "@/lib/auth";
import { ConfigError, getConfig } from "@/lib/config";
import { refuseOversizedBody } from "@/lib/http/proxy-guards";
import { withPageSecurityHeaders } from "@/lib/http/security-headers";

export async function proxy(request: NextRequest) {
  const oversized = refuseOversizedBody(request);
  if (oversized) return oversized;
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
  const response = await auth.refreshSession(request);
  return withPageSecurityHeaders(request, response, { production: getConfig().production });
}

export const config = {
  // Everything except build assets and static files.
  matcher: [
    "/((?!api/|_next/static|_next/image|favicon.ico|avatars/|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico|txt|xml)$).*)",
    // API requests with a body skip the proxy: for it, Next.js reads the whole body before the
    // handler runs, which defeats the handlers' caps and slow-body timeout. Their handlers renew
    // an expired session themselves (lib/http/api-scope.ts).
    {
      source: "/api/:path*",
      missing: [
        { type: "header", key: "content-length" },
        { type: "header", key: "transfer-encoding" },
      ],
    },
  ],
};
