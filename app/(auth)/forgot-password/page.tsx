// /forgot-password: asks for the account's email and has a reset link sent to it. Where the
// sign-in sends no email (the built-in one), it says who can reset the password instead.

import type { Metadata } from "next";
import { AuthCard } from "@/components/auth/auth-card";
import { BackToSignIn, ForgotPasswordForm } from "@/components/auth/forgot-password-form";
import { FormAlert } from "@/components/auth/form-controls";
import { getAuth } from "@/lib/auth";

export const metadata: Metadata = { title: "Reset your password" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ link?: string | string[] }> };

export default async function ForgotPasswordPage({ searchParams }: Props) {
  const { link } = await searchParams;
  const auth = await getAuth();
  if (!auth.sendsEmail) {
    return (
      <AuthCard title="Reset your password">
        <div className="flex flex-col gap-5" data-testid="operator-reset">
          <p className="text-sm text-zinc-700 dark:text-zinc-300">
            This site sends no email, so it cannot send you a reset link. Ask the person who runs it
            to reset your password: they run{" "}
            <code className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-xs dark:bg-zinc-800">
              npm run user:reset-password -- your@email
            </code>{" "}
            and give you the new password. It signs you out on every device.
          </p>
          <BackToSignIn />
        </div>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Reset your password"
      intro="Enter the email address of your account and we will send you a link to choose a new password."
    >
      {link === "expired" ? (
        <div className="mb-5">
          <FormAlert>
            That reset link has expired or was already used. Request a new one below.
          </FormAlert>
        </div>
      ) : null}
      <ForgotPasswordForm />
    </AuthCard>
  );
}
