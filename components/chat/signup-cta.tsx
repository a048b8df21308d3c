// Shown instead of the composer when a guest has used every free message.

import Link from "next/link";
import { buttonClass } from "@/components/ui/button-styles";

export function SignupCta({
  conversationId,
  personaName,
  limit,
}: {
  conversationId: string;
  personaName: string;
  limit: number;
}) {
  const next = `/c/${conversationId}`;
  return (
    <section
      data-testid="signup-cta"
      aria-labelledby="signup-cta-title"
      className="rounded-2xl border border-brand-200 bg-brand-50 p-4 sm:p-5 dark:border-brand-800 dark:bg-brand-950/60"
    >
      <h2 id="signup-cta-title" className="font-semibold text-base">
        You have used all {limit} free messages
      </h2>
      <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">
        Create a free account to keep chatting with {personaName}. This conversation comes with you.
      </p>
      <div className="mt-4 flex flex-col gap-2 sm:flex-row">
        <Link href={`/signup?next=${next}`} className={buttonClass("primary", "md")}>
          Sign up to keep chatting
        </Link>
        <Link href={`/login?next=${next}`} className={buttonClass("secondary", "md")}>
          I already have an account
        </Link>
      </div>
    </section>
  );
}
