"use client";
// "Your account was deleted.": shown once on the page a deleted account lands on
// (`?notice=account-deleted`, set by app/(chat)/account/actions.ts), which then drops the query
// from the address so a reload or a shared link does not repeat it. The live region is always
// there, so screen readers announce the sentence when it appears.

import { useEffect, useState } from "react";
import { DELETED_NOTICE } from "@/app/(chat)/account/schema";

export function AccountDeletedNotice() {
  const [shown, setShown] = useState(false);

  useEffect(() => {
    const url = new URL(window.location.href);
    if (url.searchParams.get("notice") !== DELETED_NOTICE) return;
    setShown(true);
    url.searchParams.delete("notice");
    window.history.replaceState(
      window.history.state,
      "",
      `${url.pathname}${url.search}${url.hash}`,
    );
  }, []);

  return (
    <div
      role="status"
      className="pointer-events-none fixed inset-x-0 bottom-[max(1rem,env(safe-area-inset-bottom))] z-40 flex justify-center px-4"
    >
      {shown ? (
        <div
          data-testid="account-deleted-notice"
          className="pointer-events-auto flex max-w-md items-center gap-3 rounded-xl border border-emerald-200 bg-emerald-50 py-2 pr-2 pl-4 text-emerald-900 text-sm shadow-lg dark:border-emerald-900/60 dark:bg-emerald-950 dark:text-emerald-100"
        >
          <span>Your account was deleted.</span>
          <button
            type="button"
            onClick={() => setShown(false)}
            className="rounded-md px-2 py-1 font-medium text-emerald-800 text-xs outline-none hover:bg-emerald-100 focus-visible:ring-2 focus-visible:ring-emerald-600 dark:text-emerald-200 dark:hover:bg-emerald-900"
          >
            Dismiss
          </button>
        </div>
      ) : null}
    </div>
  );
}
