"use client";
// A conversation's options, as a menu button (WAI-ARIA menu button pattern): Rename (a dialog),
// Export as Markdown (a plain download link to GET /api/conversations/{id}/export) and Delete (a
// confirm dialog). Enter, Space and the arrow keys open it; the arrows, Home and End move through
// it; Esc closes it and focus goes back to the button, as it does after either dialog. The menu
// is fixed to the viewport beside its button, so a scrolling list cannot clip it. Used in the
// history lists and the chat header.

import { usePathname, useRouter } from "next/navigation";
import { useEffect, useId, useLayoutEffect, useRef, useState, useSyncExternalStore } from "react";
import type { Conversation } from "@/lib/chat/types";
import { ConversationDeleteDialog } from "./conversation-delete-dialog";
import { ConversationRenameDialog } from "./conversation-rename-dialog";
import { exportHref } from "./conversation-requests";

type Props = {
  conversationId: string;
  title: string | null;
  personaName: string;
  /** This conversation is the page being shown (deleting it leaves the page). */
  isCurrent?: boolean;
  onRenamed?: (conversation: Conversation) => void;
  /** Which edge of the button the menu lines up with. */
  align?: "start" | "end";
};

const ITEM_COUNT = 3;

const subscribeToNothing = () => () => {};
/** Space kept between the menu and the edges of the screen, and the button. */
const GAP = 8;

const ITEM_CLASS =
  "flex w-full items-center gap-2.5 rounded-lg px-3 py-2 text-left text-sm outline-none transition-colors hover:bg-zinc-100 focus-visible:bg-zinc-100 dark:hover:bg-zinc-800 dark:focus-visible:bg-zinc-800";

/** Focuses item `index` of the menu, wrapping around at either end. */
function focusAt(items: (HTMLElement | null)[], index: number) {
  items[(index + ITEM_COUNT) % ITEM_COUNT]?.focus({ preventScroll: true });
}

function Icon({ d }: { d: string }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 20 20"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.7"
      strokeLinecap="round"
      strokeLinejoin="round"
      className="size-4 shrink-0"
    >
      <path d={d} />
    </svg>
  );
}

export function ConversationMenu({
  conversationId,
  title,
  personaName,
  isCurrent = false,
  onRenamed,
  align = "end",
}: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<"rename" | "delete" | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const itemRefs = useRef<(HTMLElement | null)[]>([]);
  const firstFocus = useRef(0);
  const id = useId();
  const label = title?.trim() || personaName;
  // False in the server's HTML until React has hydrated: a press before then would do nothing.
  const hydrated = useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );

  function openMenu(index: number) {
    firstFocus.current = index;
    setOpen(true);
  }

  function closeMenu(returnFocus: boolean) {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  }

  const focusItem = (index: number) => focusAt(itemRefs.current, index);

  // Placed before it is painted: below the button (above it when there is no room), lined up
  // with its `align` edge and kept on screen; then the first (or last) item takes focus.
  useLayoutEffect(() => {
    const menu = menuRef.current;
    const button = buttonRef.current;
    if (!open || !menu || !button) return;
    const anchor = button.getBoundingClientRect();
    const width = menu.offsetWidth;
    const height = menu.offsetHeight;
    const wanted = align === "end" ? anchor.right - width : anchor.left;
    const left = Math.max(GAP, Math.min(wanted, window.innerWidth - width - GAP));
    const below = anchor.bottom + 4;
    const above = anchor.top - 4 - height;
    const top = below + height > window.innerHeight - GAP && above >= GAP ? above : below;
    menu.style.left = `${Math.round(left)}px`;
    menu.style.top = `${Math.round(top)}px`;
    menu.style.visibility = "visible";
    focusAt(itemRefs.current, firstFocus.current);
  }, [open, align]);

  // A click or tap elsewhere, scrolling or resizing closes it (focus stays where it went).
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (menuRef.current?.contains(target) || buttonRef.current?.contains(target)) return;
      setOpen(false);
    };
    const onMove = (event: Event) => {
      if (event.target instanceof Node && menuRef.current?.contains(event.target)) return;
      setOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown, true);
    window.addEventListener("scroll", onMove, true);
    window.addEventListener("resize", onMove);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown, true);
      window.removeEventListener("scroll", onMove, true);
      window.removeEventListener("resize", onMove);
    };
  }, [open]);

  function onButtonKeyDown(event: React.KeyboardEvent<HTMLButtonElement>) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      openMenu(0);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      openMenu(ITEM_COUNT - 1);
    }
  }

  function onMenuKeyDown(event: React.KeyboardEvent<HTMLDivElement>) {
    const current = itemRefs.current.indexOf(document.activeElement as HTMLElement);
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        focusItem(current + 1);
        break;
      case "ArrowUp":
        event.preventDefault();
        focusItem(current - 1);
        break;
      case "Home":
        event.preventDefault();
        focusItem(0);
        break;
      case "End":
        event.preventDefault();
        focusItem(ITEM_COUNT - 1);
        break;
      case "Escape":
        // Only the menu closes: not the drawer (a modal dialog) it may sit in.
        event.preventDefault();
        event.stopPropagation();
        closeMenu(true);
        break;
      case "Tab":
        event.preventDefault();
        closeMenu(true);
        break;
      case " ":
        // Space activates a link menu item too, as it does the buttons.
        if (document.activeElement instanceof HTMLAnchorElement) {
          event.preventDefault();
          document.activeElement.click();
        }
        break;
    }
  }

  function choose(next: "rename" | "delete") {
    // Focus goes to the button first, so the dialog hands it back there when it closes.
    closeMenu(true);
    setDialog(next);
  }

  function onDialogClose() {
    setDialog(null);
    buttonRef.current?.focus();
  }

  function onDeleted() {
    setDialog(null);
    if (isCurrent || pathname === `/c/${conversationId}`) router.replace("/");
    else router.refresh();
  }

  const menuId = `${id}-menu`;
  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        id={`${id}-button`}
        aria-label="Conversation options"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-disabled={hydrated ? undefined : true}
        aria-controls={open ? menuId : undefined}
        onClick={() => {
          if (open) closeMenu(true);
          else openMenu(0);
        }}
        onKeyDown={onButtonKeyDown}
        data-testid="conversation-menu-button"
        data-conversation-id={conversationId}
        className={`inline-flex size-9 shrink-0 items-center justify-center rounded-lg text-zinc-600 outline-none transition-colors hover:bg-zinc-200/70 hover:text-zinc-900 focus-visible:ring-2 focus-visible:ring-brand-500 dark:text-zinc-400 dark:hover:bg-zinc-700/70 dark:hover:text-zinc-100 ${open ? "bg-zinc-200/70 text-zinc-900 dark:bg-zinc-700/70 dark:text-zinc-100" : ""}`}
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-5">
          <circle cx="4.5" cy="10" r="1.6" />
          <circle cx="10" cy="10" r="1.6" />
          <circle cx="15.5" cy="10" r="1.6" />
        </svg>
      </button>
      {open ? (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-labelledby={`${id}-button`}
          tabIndex={-1}
          onKeyDown={onMenuKeyDown}
          data-testid="conversation-menu"
          style={{ visibility: "hidden" }}
          className="fixed top-0 left-0 z-50 w-52 rounded-xl border border-zinc-200 bg-white p-1 text-zinc-900 shadow-lg outline-none dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
        >
          <button
            ref={(node) => {
              itemRefs.current[0] = node;
            }}
            type="button"
            role="menuitem"
            tabIndex={-1}
            onClick={() => choose("rename")}
            className={ITEM_CLASS}
          >
            <Icon d="M12.5 4.5l3 3M4 16l1-4 8.5-8.5 3 3L8 15l-4 1z" />
            Rename
          </button>
          <a
            ref={(node) => {
              itemRefs.current[1] = node;
            }}
            role="menuitem"
            tabIndex={-1}
            href={exportHref(conversationId)}
            download
            onClick={() => closeMenu(true)}
            className={ITEM_CLASS}
          >
            <Icon d="M10 3.5v9m0 0l-3.5-3.5M10 12.5l3.5-3.5M4 14.5v2h12v-2" />
            Export as Markdown
          </a>
          <button
            ref={(node) => {
              itemRefs.current[2] = node;
            }}
            type="button"
            role="menuitem"
            tabIndex={-1}
            onClick={() => choose("delete")}
            className={`${ITEM_CLASS} text-red-700 dark:text-red-400`}
          >
            <Icon d="M4 6h12M8 6V4.5h4V6m-6 0 .7 9.5h6.6L14 6M8.5 9v4M11.5 9v4" />
            Delete
          </button>
        </div>
      ) : null}
      <ConversationRenameDialog
        open={dialog === "rename"}
        conversationId={conversationId}
        title={title}
        personaName={personaName}
        onClose={onDialogClose}
        onRenamed={(conversation) => {
          router.refresh();
          onRenamed?.(conversation);
        }}
      />
      <ConversationDeleteDialog
        open={dialog === "delete"}
        conversationId={conversationId}
        label={label}
        onClose={onDialogClose}
        onDeleted={onDeleted}
      />
    </>
  );
}
