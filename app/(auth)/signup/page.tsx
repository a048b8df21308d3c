// /signup: create an account with email and password, then back to `?next=` (from the chat's
// "sign up to keep chatting" prompt, that is the conversation itself, now without a cap).

import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { SignupForm } from "@/components/auth/signup-form";
import { getGuestSessionId } from "@/lib/auth/actor";
import { safeNextPath } from "@/lib/auth/next-path";
import { getSignedInUser } from "@/lib/auth/user-session";

export const metadata: Metadata = { title: "Create an account" };

type Props = { searchParams: Promise<{ next?: string | string[] }> };

export default async function SignupPage({ searchParams }: Props) {
  const { next } = await searchParams;
  const nextPath = safeNextPath(Array.isArray(next) ? next[0] : next);
  if (await getSignedInUser()) redirect(nextPath);
  const hasGuestSession = Boolean(await getGuestSessionId());
  return (
    <AuthCard
      title="Create your account"
      intro={
        hasGuestSession
          ? "Keep chatting with no message limit. Your conversations so far move to your new account."
          : "Chat without a message limit and keep every conversation."
      }
    >
      <SignupForm next={nextPath} />
    </AuthCard>
  );
}
