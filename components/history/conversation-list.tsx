// The signed-in user's conversations, newest first: title (the persona's name when there is
// none yet) with the persona's name under it, last message, status and when, each linking to
// /c/{id}. Shared by the sidebar, the phone drawer, the home page's recent list
// and /history. An item's own actions (its menu: rename, delete, export) sit beside its link,
// never inside it, since a button may not be part of a link.

import Link from "next/link";
import { PersonaAvatar } from "@/components/persona-avatar";
import type { ConversationStatus, ConversationSummary } from "@/lib/chat/types";
import { previewText } from "./preview-text";
import { formatRelativeTime } from "./relative-time";

const STATUS: Record<ConversationStatus, { label: string; className: string }> = {
  active: {
    label: "Active",
    className: "bg-emerald-50 text-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-200",
  },
  ended: {
    label: "Ended",
    className: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  },
  error: {
    label: "Reply failed",
    className: "bg-red-50 text-red-800 dark:bg-red-950/60 dark:text-red-200",
  },
};

function preview(c: ConversationSummary): string {
  if (!c.lastMessage) return "No messages yet";
  const text = previewText(c.lastMessage.content);
  return c.lastMessage.role === "user" ? `You: ${text}` : text;
}

export function ConversationList({
  conversations,
  activeConversationId,
  now = new Date(),
  itemActions,
}: {
  conversations: ConversationSummary[];
  activeConversationId?: string;
  now?: Date;
  /** Controls shown at the item's top right, beside its link (the conversation's menu). */
  itemActions?: (conversation: ConversationSummary) => React.ReactNode;
}) {
  return (
    <ul className="flex flex-col gap-1" data-testid="conversation-list">
      {conversations.map((c) => {
        const name = c.persona?.name ?? "Unknown persona";
        const title = c.title?.trim() || null;
        const status = STATUS[c.status] ?? STATUS.active;
        const when = c.lastMessage?.createdAt ?? c.updatedAt;
        const active = c.id === activeConversationId;
        const actions = itemActions?.(c);
        return (
          <li key={c.id} className="relative">
            <Link
              href={`/c/${c.id}`}
              aria-current={active ? "page" : undefined}
              data-conversation-id={c.id}
              className={`flex items-start gap-3 rounded-xl px-3 py-3 outline-none transition-colors focus-visible:ring-2 focus-visible:ring-brand-500 ${actions ? "pr-11" : ""} ${
                active
                  ? "bg-brand-50 dark:bg-brand-950/50"
                  : "hover:bg-zinc-100 dark:hover:bg-zinc-800/70"
              }`}
            >
              <PersonaAvatar name={name} avatarUrl={c.persona?.avatarUrl ?? null} size="sm" />
              <span className="flex min-w-0 flex-1 flex-col gap-0.5">
                <span className="flex items-baseline justify-between gap-2">
                  <span
                    className="min-w-0 truncate font-medium text-sm"
                    data-testid="conversation-title"
                  >
                    {title ?? name}
                  </span>
                  <time
                    dateTime={when}
                    title={new Date(when).toLocaleString("en")}
                    className="shrink-0 text-xs text-zinc-600 dark:text-zinc-400"
                  >
                    {formatRelativeTime(when, now)}
                  </time>
                </span>
                {title ? (
                  <span className="truncate text-xs text-zinc-600 dark:text-zinc-400">{name}</span>
                ) : null}
                <span
                  className={`${title ? "line-clamp-1" : "line-clamp-2"} text-sm text-zinc-600 dark:text-zinc-400`}
                >
                  {preview(c)}
                </span>
                <span
                  className={`mt-1 inline-flex w-fit items-center rounded-full px-2 py-0.5 font-medium text-[11px] ${status.className}`}
                >
                  {status.label}
                </span>
              </span>
            </Link>
            {actions ? <div className="absolute top-2 right-2">{actions}</div> : null}
          </li>
        );
      })}
    </ul>
  );
}
