// /account: the signed-in user's account: their email and how many conversations they have,
// "Sign out everywhere", and the danger zone that deletes the account and everything in it
// (components/account/delete-account-dialog.tsx). Others are sent to sign in first.

import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { signOutEverywhereAction } from "@/app/(auth)/actions";
import { DeleteAccountDialog } from "@/components/account/delete-account-dialog";
import { buttonClass } from "@/components/ui/button-styles";
import { getActor } from "@/lib/auth/actor";
import { listConversationPage } from "@/lib/chat/service";
import type { Actor } from "@/lib/chat/types";

export const metadata: Metadata = { title: "Your account" };
export const dynamic = "force-dynamic";

/** Pages of 100 read at most to count conversations; beyond that the page says "1,000+". */
const COUNT_PAGES = 10;
const PAGE = 100;

type Count = { n: number; more: boolean } | null;

async function countConversations(actor: Actor): Promise<Count> {
  try {
    let n = 0;
    let before: string | null = null;
    for (let page = 0; page < COUNT_PAGES; page++) {
      const result = await listConversationPage(actor, { before, limit: PAGE });
      n += result.conversations.length;
      if (!result.hasMore || !result.nextBefore) return { n, more: false };
      before = result.nextBefore;
    }
    return { n, more: true };
  } catch (error) {
    console.error("[account] could not count conversations", error);
    return null;
  }
}

function countText(count: Count): string {
  if (!count) return "Could not be counted just now";
  const n = `${count.n.toLocaleString("en-US")}${count.more ? "+" : ""}`;
  return count.n === 1 && !count.more ? "1 conversation" : `${n} conversations`;
}

function whatGoes(count: Count): string {
  if (count && count.n === 1 && !count.more) {
    return "your conversation with its messages and voice recordings";
  }
  if (count && count.n > 0) {
    return `your ${countText(count)} with their messages and voice recordings`;
  }
  return "your conversations with their messages and voice recordings";
}

const CARD =
  "rounded-2xl border border-zinc-200 bg-white p-5 shadow-sm sm:p-6 dark:border-zinc-800 dark:bg-zinc-900/60";

export default async function AccountPage() {
  const actor = await getActor();
  if (actor?.kind !== "user") redirect("/login?next=/account");
  const count = await countConversations(actor);

  return (
    <div className="mx-auto w-full max-w-2xl px-4 py-8 sm:px-6 sm:py-12">
      <h1 className="font-bold text-2xl tracking-tight sm:text-3xl">Your account</h1>

      <div className="mt-6 flex flex-col gap-6">
        <section aria-labelledby="account-details" className={CARD}>
          <h2 id="account-details" className="font-semibold text-lg">
            Details
          </h2>
          <dl className="mt-4 grid gap-4 text-sm sm:grid-cols-[10rem_minmax(0,1fr)] sm:gap-x-6">
            <dt className="text-zinc-600 dark:text-zinc-400">Email</dt>
            <dd className="-mt-3 break-all font-medium sm:mt-0" data-testid="account-email">
              {actor.email ?? "No email address"}
            </dd>
            <dt className="text-zinc-600 dark:text-zinc-400">Conversations</dt>
            <dd className="-mt-3 flex flex-wrap items-baseline gap-x-3 sm:mt-0">
              <span className="font-medium" data-testid="account-conversations">
                {countText(count)}
              </span>
              {count && count.n > 0 ? (
                <Link
                  href="/history"
                  className="rounded text-brand-700 underline underline-offset-2 outline-none hover:text-brand-800 focus-visible:ring-2 focus-visible:ring-brand-500 dark:text-brand-300 dark:hover:text-brand-200"
                >
                  View in history
                </Link>
              ) : null}
            </dd>
          </dl>
        </section>

        <section aria-labelledby="account-sessions" className={CARD}>
          <h2 id="account-sessions" className="font-semibold text-lg">
            Sessions
          </h2>
          <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
            Signed in on a shared or lost device? Sign out on every device at once, this one
            included.
          </p>
          <form action={signOutEverywhereAction} className="mt-4">
            <button type="submit" className={buttonClass("secondary", "md", "w-full sm:w-auto")}>
              Sign out everywhere
            </button>
          </form>
        </section>

        <section
          aria-labelledby="account-danger"
          className="rounded-2xl border border-red-300 bg-red-50/60 p-5 sm:p-6 dark:border-red-900/70 dark:bg-red-950/30"
          data-testid="danger-zone"
        >
          <h2 id="account-danger" className="font-semibold text-lg text-red-800 dark:text-red-300">
            Delete account
          </h2>
          <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
            Deletes your account and everything in it: {whatGoes(count)}, and your usage history.
            This cannot be undone.
          </p>
          <div className="mt-4">
            <DeleteAccountDialog email={actor.email} />
          </div>
        </section>
      </div>
    </div>
  );
}
