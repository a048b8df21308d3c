"use client";
// The phone drawer's moving parts: the header button that opens it, the modal <dialog> (focus
// stays inside, Esc and a tap outside close it), and its close button. Following a link inside
// closes it too, since the chat page it leads to keeps this component mounted.

import { createContext, useContext, useRef } from "react";

const CloseDrawer = createContext<() => void>(() => {});

export function HistoryDrawerToggle({
  headingId,
  children,
}: {
  headingId: string;
  children: React.ReactNode;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const close = () => dialogRef.current?.close();

  function onDialogClick(event: React.MouseEvent<HTMLDialogElement>) {
    const target = event.target as HTMLElement;
    // The dialog element itself is only hit on its backdrop; a link means the visitor moves on
    // (a download link, such as a conversation's export, does not).
    if (target === dialogRef.current || target.closest("a:not([download])")) close();
  }

  return (
    <>
      <button
        type="button"
        onClick={() => dialogRef.current?.showModal()}
        aria-haspopup="dialog"
        data-testid="open-history"
        className="-ml-2 inline-flex size-10 shrink-0 items-center justify-center rounded-lg text-zinc-700 outline-none hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-brand-500 md:hidden dark:text-zinc-300 dark:hover:bg-zinc-800"
      >
        <svg
          aria-hidden="true"
          viewBox="0 0 20 20"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.8"
          strokeLinecap="round"
          className="size-5"
        >
          <path d="M3 5h14M3 10h14M3 15h14" />
        </svg>
        <span className="sr-only">Your conversations</span>
      </button>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: Esc closes a modal dialog natively; the click only adds "tap outside". */}
      <dialog
        ref={dialogRef}
        aria-labelledby={headingId}
        data-testid="history-drawer"
        onClick={onDialogClick}
        className="m-0 h-dvh max-h-none w-[min(20rem,85vw)] max-w-none border-zinc-200 border-r bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-zinc-950/50 open:flex open:flex-col dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-100"
      >
        <CloseDrawer.Provider value={close}>{children}</CloseDrawer.Provider>
      </dialog>
    </>
  );
}

export function HistoryDrawerClose() {
  const close = useContext(CloseDrawer);
  return (
    <button
      type="button"
      onClick={close}
      data-testid="close-history"
      className="inline-flex size-8 items-center justify-center rounded-md text-zinc-600 outline-none hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-brand-500 dark:text-zinc-400 dark:hover:bg-zinc-800"
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 20 20"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        className="size-4"
      >
        <path d="M5 5l10 10M15 5 5 15" />
      </svg>
      <span className="sr-only">Close</span>
    </button>
  );
}
