"use client";
// The chat page's interactive part: persona header, messages, the streamed reply (useChat over
// the messages API), the guest allowance, retry after a failed reply, and ending the conversation.

import { useChat } from "@ai-sdk/react";
import { DefaultChatTransport } from "ai";
import { useEffect, useMemo, useRef, useState } from "react";
import { PersonaAvatar } from "@/components/persona-avatar";
import type { Allowance, Conversation, ConversationStatus, Message } from "@/lib/chat/types";
import { AllowanceMeter } from "./allowance-meter";
import { type ChatError, chatErrorMessage, parseChatError } from "./chat-errors";
import { type ChatMessage, textOf, toChatMessages } from "./chat-message";
import { Composer } from "./composer";
import { EndConversationButton } from "./end-conversation-button";
import { EndedBanner } from "./ended-banner";
import { MessageBubble } from "./message-bubble";
import { ReplyError } from "./reply-error";
import { SignupCta } from "./signup-cta";
import { TypingIndicator } from "./typing-indicator";

export type ChatPersona = {
  id: string | null;
  name: string;
  tagline: string;
  avatarUrl: string | null;
  greeting: string;
};

type Props = {
  conversation: Conversation;
  persona: ChatPersona;
  messages: Message[];
  allowance: Allowance;
};

export function ChatView({
  conversation,
  persona,
  messages: saved,
  allowance: initialAllowance,
}: Props) {
  const conversationId = conversation.id;
  const [status, setStatus] = useState<ConversationStatus>(conversation.status);
  const [allowance, setAllowance] = useState<Allowance>(initialAllowance);
  const [notice, setNotice] = useState<ChatError | null>(null);
  const [draft, setDraft] = useState("");
  const [announcement, setAnnouncement] = useState("");
  // Which request the current error belongs to: a failed send and a failed retry differ.
  const trigger = useRef<"submit" | "retry">("submit");
  const lastSent = useRef("");

  // A later server render (e.g. after ending) is the source of truth for the status.
  useEffect(() => setStatus(conversation.status), [conversation.status]);

  const transport = useMemo(
    () =>
      new DefaultChatTransport<ChatMessage>({
        api: `/api/conversations/${conversationId}/messages`,
        prepareSendMessagesRequest: ({ messages, trigger: kind }) => {
          if (kind === "regenerate-message") {
            return { api: `/api/conversations/${conversationId}/retry`, body: {} };
          }
          const lastUser = messages.findLast((m) => m.role === "user");
          return { body: { content: textOf(lastUser) } };
        },
      }),
    [conversationId],
  );

  const initialMessages = useMemo(() => toChatMessages(saved), [saved]);

  const {
    messages,
    sendMessage,
    regenerate,
    setMessages,
    status: chatStatus,
  } = useChat<ChatMessage>({
    id: conversationId,
    messages: initialMessages,
    transport,
    onFinish: ({ message, isError, isAbort }) => {
      const meta = message.metadata;
      if (meta?.allowance !== undefined) setAllowance(meta.allowance);
      if (!isError && !isAbort && meta?.conversation) setStatus(meta.conversation.status);
      if (!isError && !isAbort) setAnnouncement(`${persona.name} replied.`);
    },
    onError: (error) => handleError(error),
  });

  const busy = chatStatus === "submitted" || chatStatus === "streaming";
  const last = messages.at(-1);
  const streamingMessage = busy && last?.role === "assistant" ? last : undefined;
  // The `start` chunk carries the allowance after this message: show it as soon as it arrives.
  const liveAllowance = streamingMessage?.metadata?.allowance;
  const shownAllowance = liveAllowance !== undefined ? liveAllowance : allowance;
  const capped = shownAllowance !== null && shownAllowance.remaining <= 0;
  const ended = status === "ended";

  function dropTrailing(role: "user" | "assistant") {
    setMessages((current) => (current.at(-1)?.role === role ? current.slice(0, -1) : current));
  }

  function handleError(error: Error) {
    const parsed = parseChatError(error, persona.name);
    setAnnouncement("");
    // Did the server accept the message? Its `start` chunk (with the saved message) says so.
    const current = messages.at(-1);
    const streamStarted =
      current?.role === "assistant" && current.metadata?.userMessage !== undefined;
    switch (parsed.code) {
      case "reply_failed":
        // The partial reply was not saved; the conversation is `error` until a retry succeeds.
        dropTrailing("assistant");
        setStatus("error");
        setNotice(null);
        return;
      case "guest_limit_reached":
        dropTrailing("user");
        setAllowance((a) => ({ limit: a?.limit ?? 0, used: a?.limit ?? 0, remaining: 0 }));
        setNotice(null);
        return;
      case "conversation_ended":
        if (trigger.current === "submit") dropTrailing("user");
        setStatus("ended");
        setNotice(null);
        return;
      case "nothing_to_retry":
        // Someone (another tab) already answered: show what is saved.
        void resync();
        return;
      default:
        if (trigger.current === "retry" || streamStarted) {
          dropTrailing("assistant");
          setStatus("error");
          setNotice(parsed);
          return;
        }
        // Nothing was saved: take the message back into the composer so it can be sent again.
        dropTrailing("user");
        setDraft((d) => (d.trim() === "" ? lastSent.current : d));
        setNotice(parsed);
    }
  }

  /** Replaces the local state with the saved conversation (after another tab changed it). */
  async function resync() {
    try {
      const response = await fetch(`/api/conversations/${conversationId}`, {
        headers: { accept: "application/json" },
      });
      if (!response.ok) throw new Error(`status ${response.status}`);
      const body = (await response.json()) as { conversation: Conversation; messages: Message[] };
      setMessages(toChatMessages(body.messages));
      setStatus(body.conversation.status);
      setNotice(null);
    } catch {
      setNotice({ code: "unknown", message: "Reload the page to see the latest messages." });
    }
  }

  function send(text: string) {
    trigger.current = "submit";
    lastSent.current = text;
    setNotice(null);
    setDraft("");
    void sendMessage({ text });
  }

  function retry() {
    trigger.current = "retry";
    setNotice(null);
    setStatus("active");
    void regenerate();
  }

  const showRetry = status === "error" && !busy && !ended;

  // Follow the conversation as it grows (and as the footer changes), unless the visitor has
  // scrolled up to read. The page scrolls, and the sticky footer is last, so "bottom" is the end.
  const lastText = textOf(last);
  const wasNearBottom = useRef(true);
  useEffect(() => {
    const onScroll = () => {
      const doc = document.documentElement;
      wasNearBottom.current = window.innerHeight + window.scrollY >= doc.scrollHeight - 160;
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => window.removeEventListener("scroll", onScroll);
  }, []);
  useEffect(() => {
    if (wasNearBottom.current || last?.role === "user") {
      window.scrollTo({ top: document.documentElement.scrollHeight });
      wasNearBottom.current = true;
    }
  }, [messages.length, lastText, last?.role, busy, showRetry, capped, ended, notice]);

  function onEnded(conversation: Conversation) {
    setStatus(conversation.status);
    setNotice(null);
    // The dialog hands focus back to the End button, which is gone: move it to the banner.
    requestAnimationFrame(() => document.getElementById("ended-banner-title")?.focus());
  }

  let footer: React.ReactNode;
  if (ended) {
    footer = <EndedBanner personaId={persona.id} personaName={persona.name} />;
  } else if (capped && !busy) {
    footer = (
      <SignupCta
        conversationId={conversationId}
        personaName={persona.name}
        limit={shownAllowance?.limit ?? 0}
      />
    );
  } else {
    footer = (
      <Composer
        value={draft}
        onChange={setDraft}
        onSend={send}
        busy={busy}
        personaName={persona.name}
        meta={<AllowanceMeter allowance={shownAllowance} />}
      />
    );
  }

  return (
    <section
      aria-labelledby="chat-persona-name"
      data-testid="chat"
      data-status={status}
      className="flex min-w-0 flex-1 flex-col"
    >
      <div className="sticky top-14 z-20 border-zinc-200 border-b bg-white dark:border-zinc-800 dark:bg-zinc-950">
        <div className="mx-auto flex w-full max-w-3xl items-center gap-3 px-4 py-3 sm:px-6">
          <PersonaAvatar name={persona.name} avatarUrl={persona.avatarUrl} size="md" />
          <div className="min-w-0 flex-1">
            <h1 id="chat-persona-name" className="truncate font-semibold text-base sm:text-lg">
              {persona.name}
            </h1>
            <p className="truncate text-sm text-zinc-600 dark:text-zinc-400">{persona.tagline}</p>
          </div>
          {ended ? (
            <span className="shrink-0 rounded-full bg-zinc-100 px-2.5 py-1 font-medium text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
              Ended
            </span>
          ) : (
            <EndConversationButton
              conversationId={conversationId}
              personaName={persona.name}
              disabled={busy}
              onEnded={onEnded}
            />
          )}
        </div>
      </div>

      <div className="mx-auto w-full max-w-3xl flex-1 px-4 py-6 sm:px-6">
        <ol aria-label={`Conversation with ${persona.name}`} className="flex flex-col gap-4">
          <MessageBubble
            role="assistant"
            text={persona.greeting}
            personaName={persona.name}
            avatarUrl={persona.avatarUrl}
            testId="greeting"
          />
          {messages.map((message) => {
            const text = textOf(message);
            const isStreaming = message === streamingMessage;
            // The reply bubble appears with its first words; until then the indicator shows.
            if (message.role === "assistant" && text === "" && isStreaming) return null;
            return (
              <MessageBubble
                key={message.id}
                role={message.role === "user" ? "user" : "assistant"}
                text={text}
                personaName={persona.name}
                avatarUrl={persona.avatarUrl}
                streaming={isStreaming}
              />
            );
          })}
        </ol>

        <div role="status" aria-live="polite" className="mt-4 min-h-5 pl-10">
          {busy ? (
            <TypingIndicator personaName={persona.name} />
          ) : (
            <span className="sr-only">{announcement}</span>
          )}
        </div>

        {showRetry ? (
          <div className="mt-4">
            <ReplyError
              message={chatErrorMessage("reply_failed", persona.name)}
              onRetry={retry}
              disabled={busy}
            />
          </div>
        ) : null}
      </div>

      <div className="sticky bottom-0 z-20 border-zinc-200 border-t bg-white/95 pb-[max(0.75rem,env(safe-area-inset-bottom))] backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/95">
        <div className="mx-auto flex w-full max-w-3xl flex-col gap-2 px-4 pt-3 sm:px-6">
          {notice ? (
            <p
              role="alert"
              data-testid="chat-notice"
              className="rounded-lg bg-amber-50 px-3 py-2 text-amber-900 text-sm dark:bg-amber-950/60 dark:text-amber-100"
            >
              {notice.message}
            </p>
          ) : null}
          {footer}
        </div>
      </div>
    </section>
  );
}
