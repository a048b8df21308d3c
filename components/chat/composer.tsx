"use client";
// The message input: Enter sends, Shift+Enter adds a line, a counter appears near the length
// limit. While a reply streams the visitor may keep typing, but cannot send: the send button is
// Stop then (Esc stops too, see ChatView).

import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef } from "react";
import { MAX_MESSAGE_CHARS, messageLength } from "@/lib/chat/limits";

const COUNTER_FROM = MAX_MESSAGE_CHARS - 500;
const format = (n: number) => n.toLocaleString("en-US");

export function Composer({
  value,
  onChange,
  onSend,
  onStop,
  busy,
  personaName,
  meta,
  tools,
}: {
  value: string;
  onChange: (value: string) => void;
  onSend: (text: string) => void;
  /** Stops the reply being written (the button while `busy`). */
  onStop?: () => void;
  busy: boolean;
  personaName: string;
  /** Shown under the input on the left (the allowance meter). */
  meta?: React.ReactNode;
  /** Buttons before Send (the microphone). */
  tools?: React.ReactNode;
}) {
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const hintId = useId();
  const counterId = useId();
  // Counted as the server counts it (code points, after trimming), so what the composer allows is
  // what the API accepts.
  const length = messageLength(value);
  const tooLong = length > MAX_MESSAGE_CHARS;
  const canSend = !busy && length > 0 && !tooLong;

  // Grow with the text up to a cap, then scroll inside.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the height is measured from the DOM; a new value is what asks for it.
  useEffect(() => {
    const el = inputRef.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 192)}px`;
  }, [value]);

  // The composer is the page's one purpose, so it takes focus when the page opens.
  useEffect(() => inputRef.current?.focus(), []);

  // Give focus back once a reply has arrived, so the conversation can go on from the keyboard.
  useEffect(() => {
    if (!busy && document.activeElement === document.body) inputRef.current?.focus();
  }, [busy]);

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!canSend) return;
    onSend(value.trim());
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // isComposing: Enter that confirms an IME candidate must not send.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  return (
    <form onSubmit={submit} aria-label={`Message ${personaName}`} className="flex flex-col gap-1.5">
      <div className="flex items-end gap-2 rounded-2xl border border-zinc-300 bg-white p-1.5 pl-3 shadow-sm transition-colors focus-within:border-brand-500 focus-within:ring-2 focus-within:ring-brand-500/30 dark:border-zinc-700 dark:bg-zinc-900">
        <label htmlFor={`${hintId}-input`} className="sr-only">
          Message {personaName}
        </label>
        <textarea
          id={`${hintId}-input`}
          ref={inputRef}
          data-testid="composer-input"
          rows={1}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          onKeyDown={onKeyDown}
          placeholder={`Message ${personaName}…`}
          aria-describedby={`${hintId} ${counterId}`}
          aria-invalid={tooLong || undefined}
          className="max-h-48 min-h-10 flex-1 resize-none bg-transparent py-2 text-base leading-6 outline-none placeholder:text-zinc-400 dark:placeholder:text-zinc-500"
        />
        {tools}
        {busy && onStop ? (
          <button
            type="button"
            onClick={onStop}
            aria-label={`Stop the reply from ${personaName}`}
            title="Stop (Esc)"
            data-testid="stop-button"
            className="inline-flex size-10 shrink-0 items-center justify-center rounded-xl bg-zinc-900 text-white outline-none transition-colors hover:bg-zinc-700 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-offset-2 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300 dark:focus-visible:ring-offset-zinc-900"
          >
            <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-4">
              <rect x="4" y="4" width="12" height="12" rx="2" />
            </svg>
          </button>
        ) : (
          <button
            type="submit"
            disabled={!canSend}
            aria-label={busy ? `Sending, wait for ${personaName} to reply` : "Send message"}
            data-testid="send-button"
            className="inline-flex size-10 shrink-0 items-center justify-center rounded-xl bg-brand-600 text-white outline-none transition-colors hover:bg-brand-700 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-offset-2 disabled:cursor-not-allowed disabled:bg-zinc-300 disabled:text-zinc-500 dark:bg-brand-500 dark:hover:bg-brand-600 dark:focus-visible:ring-offset-zinc-900 dark:disabled:bg-zinc-700 dark:disabled:text-zinc-400"
          >
            {busy ? (
              <span
                aria-hidden="true"
                className="size-4 animate-spin rounded-full border-2 border-current border-t-transparent"
              />
            ) : (
              <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-5">
                <path d="M3.1 2.3a.75.75 0 0 1 .8-.1l13.5 7.1a.75.75 0 0 1 0 1.4L3.9 17.8a.75.75 0 0 1-1-.9L4.8 10 2.9 3.1a.75.75 0 0 1 .2-.8ZM6.2 10.75l-1.3 4.6L14.6 10 4.9 4.65l1.3 4.6h4.55a.75.75 0 0 1 0 1.5H6.2Z" />
              </svg>
            )}
          </button>
        )}
      </div>
      <div className="flex min-h-4 flex-wrap items-center justify-between gap-x-3 gap-y-1 px-1 text-xs">
        {meta}
        <p
          id={hintId}
          className="sr-only sm:not-sr-only sm:ml-auto sm:text-zinc-500 sm:dark:text-zinc-400"
        >
          {busy && onStop ? "Esc to stop the reply" : "Enter to send, Shift+Enter for a new line"}
        </p>
        <p
          id={counterId}
          data-testid="char-counter"
          aria-live="polite"
          className={`ml-auto tabular-nums ${
            tooLong
              ? "font-medium text-red-600 dark:text-red-400"
              : "text-zinc-500 dark:text-zinc-400"
          } ${length >= COUNTER_FROM ? "" : "sr-only"}`}
        >
          {length >= COUNTER_FROM
            ? tooLong
              ? `${format(length)} / ${format(MAX_MESSAGE_CHARS)}: ${format(length - MAX_MESSAGE_CHARS)} too many`
              : `${format(length)} / ${format(MAX_MESSAGE_CHARS)}`
            : ""}
        </p>
      </div>
    </form>
  );
}
