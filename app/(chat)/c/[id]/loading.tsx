// Placeholder while a conversation loads: the chat's shape, without content, in the same
// screen-high frame as the chat (data-chat-shell), so nothing jumps when it arrives.

export default function Loading() {
  return (
    <div
      data-chat-shell=""
      className="mx-auto flex min-h-0 w-full max-w-3xl flex-1 flex-col overflow-hidden"
      role="status"
      aria-label="Loading the conversation"
      data-testid="chat-loading"
    >
      <div className="flex items-center gap-3 border-zinc-200 border-b px-4 py-3 sm:px-6 dark:border-zinc-800">
        <div className="size-12 animate-pulse rounded-full bg-zinc-200 dark:bg-zinc-800" />
        <div className="flex-1 space-y-2">
          <div className="h-4 w-32 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          <div className="h-3 w-56 max-w-full animate-pulse rounded bg-zinc-100 dark:bg-zinc-800/70" />
        </div>
      </div>
      <div className="flex-1 space-y-4 px-4 py-6 sm:px-6">
        <div className="h-14 w-3/4 animate-pulse rounded-2xl bg-zinc-100 dark:bg-zinc-800/70" />
        <div className="ml-auto h-10 w-1/2 animate-pulse rounded-2xl bg-brand-100 dark:bg-brand-950" />
        <div className="h-20 w-2/3 animate-pulse rounded-2xl bg-zinc-100 dark:bg-zinc-800/70" />
      </div>
      <div className="border-zinc-200 border-t px-4 py-3 sm:px-6 dark:border-zinc-800">
        <div className="h-12 animate-pulse rounded-2xl bg-zinc-100 dark:bg-zinc-800/70" />
      </div>
      <span className="sr-only">Loading the conversation…</span>
    </div>
  );
}
