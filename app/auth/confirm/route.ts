// GET /auth/confirm: where Supabase Auth's email links land (sign-up confirmation, password
// recovery, magic links), as in Supabase's SSR guide for Next.js. The token hash is verified
// (verifyOtp), which signs the visitor in; their guest conversations then move to the account,
// and they go on to `?next=` (a path on this site; /reset-password for a recovery link). A link
// that is expired or used, or a site that sends no email, lands on a page that says so.

import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import { getAuth } from "@/lib/auth";
import { adoptGuestConversations } from "@/lib/auth/account";
import { safeNextPath } from "@/lib/auth/next-path";
import { isAppError } from "@/lib/errors";
import { EmailLinkSchema } from "./schema";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  const query = request.nextUrl.searchParams;
  const link = EmailLinkSchema.safeParse({
    tokenHash: query.get("token_hash") ?? undefined,
    type: query.get("type") ?? undefined,
  });
  const recovery = query.get("type") === "recovery";
  let outcome: "signed-in" | "expired" | "unavailable" = "expired";
  if (link.success) {
    try {
      const user = await (await getAuth()).confirmEmail(link.data);
      outcome = "signed-in";
      await adoptGuestConversationsSafely(user.id);
    } catch (error) {
      if (isAppError(error) && error.code === "forbidden") outcome = "unavailable";
      else if (!isAppError(error) || error.status >= 500) {
        console.error("[auth] could not complete an email link", error);
      }
    }
  }
  // redirect() works by throwing, so it stays outside the try.
  if (outcome === "signed-in") {
    redirect(safeNextPath(query.get("next"), recovery ? "/reset-password" : "/"));
  }
  redirect(recovery ? `/forgot-password?link=${outcome}` : `/login?link=${outcome}`);
}

/** The sign-in has happened: a failed move is logged, and the next sign-in moves them (idempotent). */
async function adoptGuestConversationsSafely(userId: string): Promise<void> {
  try {
    await adoptGuestConversations(userId);
  } catch (error) {
    console.error("[auth] could not move the guest conversations after an email link", error);
  }
}
