// /login: sign in with email and password, then back to `?next=`. An email link that could not
// be completed (/auth/confirm) lands here with `?link=` saying why.

import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { FormAlert } from "@/components/auth/form-controls";
import { LoginForm } from "@/components/auth/login-form";
import { getGuestSessionId } from "@/lib/auth/actor";
import { safeNextPath } from "@/lib/auth/next-path";
import { getSignedInUser } from "@/lib/auth/user-session";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ next?: string | string[]; link?: string | string[] }> };

const LINK_PROBLEMS: Record<string, string> = {
  expired: "That link has expired or was already used. Sign in with your password instead.",
  unavailable: "This site sends no email links: sign in with your email and password.",
};

export default async function LoginPage({ searchParams }: Props) {
  const { next, link } = await searchParams;
  const linkProblem = typeof link === "string" ? LINK_PROBLEMS[link] : undefined;
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
      {linkProblem ? (
        <div className="mb-5">
          <FormAlert>{linkProblem}</FormAlert>
        </div>
      ) : null}
      <LoginForm next={nextPath} />
    </AuthCard>
  );
}
