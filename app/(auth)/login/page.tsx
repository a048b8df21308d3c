// /login: sign in with email and password, then back to `?next=`.

import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { LoginForm } from "@/components/auth/login-form";
import { getGuestSessionId } from "@/lib/auth/actor";
import { safeNextPath } from "@/lib/auth/next-path";
import { getSignedInUser } from "@/lib/auth/user-session";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ next?: string | string[] }> };

export default async function LoginPage({ searchParams }: Props) {
  const { next } = await searchParams;
  const nextPath = safeNextPath(Array.isArray(next) ? next[0] : next);
  if (await getSignedInUser()) redirect(nextPath);
  const hasGuestSession = Boolean(await getGuestSessionId());
  return (
    <AuthCard
      title="Welcome back"
      intro={
        hasGuestSession
          ? "Sign in to keep chatting. The conversations you started as a guest come with you."
          : "Sign in to see your conversations and pick up where you left off."
      }
    >
      <LoginForm next={nextPath} />
    </AuthCard>
  );
}
