// /reset-password: where a password-recovery link leads (through /auth/confirm, which has signed
// the visitor in): choose the new password. Without that session, the way to a new link.

import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";
import { buttonClass } from "@/components/ui/button-styles";
import { getAuth } from "@/lib/auth";
import { getSignedInUser } from "@/lib/auth/user-session";

export const metadata: Metadata = { title: "Choose a new password" };
export const dynamic = "force-dynamic";

export default async function ResetPasswordPage() {
  const [auth, user] = await Promise.all([getAuth(), getSignedInUser()]);
  if (!auth.sendsEmail || !user) {
    return (
      <AuthCard title="Choose a new password">
        <div className="flex flex-col gap-5" data-testid="reset-needs-link">
          <p className="text-sm text-zinc-700 dark:text-zinc-300">
            {auth.sendsEmail
              ? "Open the link from your reset email to choose a new password here. Links work once, for an hour."
              : "This site sends no reset links: its operator resets passwords."}
          </p>
          <Link href="/forgot-password" className={buttonClass("primary", "lg", "w-full")}>
            {auth.sendsEmail ? "Send me a new link" : "How to reset a password"}
          </Link>
        </div>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Choose a new password"
      intro={user.email ? `For ${user.email}.` : "For your account."}
    >
      <ResetPasswordForm email={user.email} />
    </AuthCard>
  );
}
