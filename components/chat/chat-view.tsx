"use client";
// The chat page's interactive part: persona header, messages (replies in Markdown; earlier ones
// loaded as the visitor scrolls up), the streamed reply with Stop (the button or Esc), Regenerate
// on the newest reply, the guest allowance, retry after a failed reply, ending the conversation,
// and voice (components/voice: Listen, Voice replies, the microphone, Talk live). Only the message
// list scrolls. It renders; the state, the error handling and the scrolling live in hooks/.

import Link from "next/link";
import { useEffect, useLayoutEffect, useMemo, useRef } from "react";
import { PersonaAvatar } from "@/components/persona-avatar";
import {
  type ChatVoiceOptions,
  ComposerMic,
  MessageAudioButton,
  NO_VOICE_INPUT,
  VoiceFooter,
} from "@/components/voice/chat-voice";
import { VoiceAudio } from "@/components/voice/voice-audio";
import { useConversationChat } from "@/hooks/use-conversation-chat";
import { useScrollToBottom } from "@/hooks/use-scroll-to-bottom";
import { useVoiceConversation } from "@/hooks/use-voice-conversation";
import type { Allowance, Conversation, Message } from "@/lib/chat/types";
import { AllowanceMeter } from "./allowance-meter";
import { textOf } from "./chat-message";
import { Composer } from "./composer";
import { ConversationMenu } from "./conversation-menu";
import { EarlierMessages } from "./earlier-messages";
import { EndConversationButton } from "./end-conversation-button";
import { EndedBanner } from "./ended-banner";
import { MessageBubble } from "./message-bubble";
import { RegenerateButton } from "./regenerate-button";
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
  /** Whether earlier messages than `messages` exist, and the cursor that reads them. */
  hasMore?: boolean;
  nextBefore?: string | null;
  allowance: Allowance;
  /** Opens the conversation history on phones (signed-in users; the sidebar shows it on desktop). */
  historyButton?: React.ReactNode;
  /** The voice features this visitor may use (spoken replies are always on). */
  voice?: ChatVoiceOptions;
};

export function ChatView({
  conversation,
  persona,
  messages: saved,
  hasMore,
  nextBefore,
  allowance,
  historyButton,
  voice: voiceOptions = NO_VOICE_INPUT,
}: Props) {
  const conversationId = conversation.id;
  const chat = useConversationChat({
    conversation,
    messages: saved,
    hasMore,
    nextBefore,
    allowance,
    personaName: persona.name,
  });
  const { messages, streamingMessage, status, busy, ended, capped, notice, showRetry } = chat;
  const voice = useVoiceConversation({
    conversationId,
    messages,
    sendVoice: chat.sendVoice,
    resync: chat.resync,
  });
  const withAudio = useMemo(
    () => new Set(saved.filter((m) => m.audioUrl).map((m) => m.id)),
    [saved],
  );

  // Follow the conversation as it grows and as the footer changes; always after a send. (Keyed
  // on the newest message, not the count: earlier messages put above must not scroll.)
  const last = messages.at(-1);
  const scrollRef = useScrollToBottom<HTMLDivElement>(
    [
      last?.id,
      textOf(last).length,
      last?.role,
      busy,
      showRetry,
      capped,
      ended,
      notice?.message,
    ].join("|"),
    last?.role === "user",
  );

  // Earlier messages put above keep what the visitor was reading where it was.
  const fromBottom = useRef<number | null>(null);
  const firstId = messages[0]?.id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new first message is what asks for it; the distance is read from the DOM.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && fromBottom.current !== null) el.scrollTop = el.scrollHeight - fromBottom.current;
    fromBottom.current = null;
  }, [firstId]);
  function loadEarlier() {
    const el = scrollRef.current;
    if (el) fromBottom.current = el.scrollHeight - el.scrollTop;
    void chat.loadEarlier();
  }

  // Esc stops the reply being written, wherever the focus is (unless a dialog takes the key).
  const { stop } = chat;
  useEffect(() => {
    if (!busy) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      if (document.querySelector("dialog[open]")) return;
      event.preventDefault();
      stop();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [busy, stop]);

  function onEnded(endedConversation: Conversation) {
    chat.markEnded(endedConversation);
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
        limit={chat.allowance?.limit ?? 0}
      />
    );
  } else {
    footer = (
      <VoiceFooter
        voice={voice}
        options={voiceOptions}
        conversationId={conversationId}
        personaName={persona.name}
        avatarUrl={persona.avatarUrl}
        busy={busy}
        composer={
          <Composer
            value={chat.draft}
            onChange={chat.setDraft}
            onSend={chat.send}
            onStop={chat.stop}
            busy={busy}
            personaName={persona.name}
            meta={<AllowanceMeter allowance={chat.allowance} />}
            tools={
              <ComposerMic
                voice={voice}
                options={voiceOptions}
                busy={busy}
                personaName={persona.name}
              />
            }
          />
        }
      />
    );
  }

  return (
    <section
      aria-labelledby="chat-persona-name"
      data-testid="chat"
      data-status={status}
      className="flex min-h-0 min-w-0 flex-1 flex-col"
    >
      <div className="shrink-0 border-zinc-200 border-b bg-white dark:border-zinc-800 dark:bg-zinc-950">
        <div className="mx-auto flex w-full max-w-3xl items-center gap-3 px-4 py-3 sm:px-6">
          {historyButton}
          <PersonaAvatar name={persona.name} avatarUrl={persona.avatarUrl} size="md" />
          <div className="min-w-0 flex-1">
            <h1 id="chat-persona-name" className="truncate font-semibold text-base sm:text-lg">
              {persona.name}
            </h1>
            <p
              data-testid="chat-title"
              className="truncate text-sm text-zinc-600 dark:text-zinc-400"
            >
              {chat.title ?? persona.tagline}
            </p>
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
          <ConversationMenu
            conversationId={conversationId}
            title={chat.title}
            personaName={persona.name}
            isCurrent
            onRenamed={(renamed) => chat.setTitle(renamed.title)}
          />
        </div>
      </div>

      {/* The one part of the page that scrolls: header, sidebar and composer stay in place. */}
      <div
        ref={scrollRef}
        data-testid="message-scroller"
        className="min-h-0 flex-1 overflow-y-auto overscroll-contain"
      >
        <div className="mx-auto w-full max-w-3xl px-4 py-6 sm:px-6">
          <EarlierMessages
            scrollRoot={scrollRef}
            hasMore={chat.earlier.hasMore}
            loading={chat.earlier.loading}
            failed={chat.earlier.failed}
            onLoad={loadEarlier}
          />
          <ol aria-label={`Conversation with ${persona.name}`} className="flex flex-col gap-4">
            {/* The greeting opens the conversation, unless its first saved message is that same
                greeting (a live voice session's agent speaks it first, and it is saved). */}
            {chat.earlier.hasMore ||
            (messages[0]?.role === "assistant" &&
              textOf(messages[0]) === persona.greeting) ? null : (
              <MessageBubble
                author="assistant"
                text={persona.greeting}
                personaName={persona.name}
                avatarUrl={persona.avatarUrl}
                testId="greeting"
              />
            )}
            {messages.map((message, index) => {
              const text = textOf(message);
              const isStreaming = message === streamingMessage;
              // The reply bubble appears with its first words; until then the indicator shows.
              if (message.role === "assistant" && text === "" && isStreaming) return null;
              return (
                <MessageBubble
                  key={message.id}
                  author={message.role === "user" ? "user" : "assistant"}
                  text={text}
                  personaName={persona.name}
                  avatarUrl={persona.avatarUrl}
                  streaming={isStreaming}
                  stopped={chat.isStopped(message)}
                  actions={
                    <>
                      <MessageAudioButton
                        player={voice.player}
                        messages={messages}
                        index={index}
                        withAudio={withAudio}
                        conversationId={conversationId}
                        personaName={persona.name}
                      />
                      {chat.canRegenerate && message === last ? (
                        <RegenerateButton
                          onRegenerate={chat.regenerate}
                          personaName={persona.name}
                        />
                      ) : null}
                    </>
                  }
                />
              );
            })}
          </ol>

          <div role="status" aria-live="polite" className="mt-4 min-h-5 pl-10">
            {busy ? (
              <TypingIndicator personaName={persona.name} />
            ) : (
              <span className="sr-only">{chat.announcement}</span>
            )}
          </div>

          {showRetry ? (
            <div className="mt-4">
              <ReplyError
                personaName={persona.name}
                reason={chat.replyFailure}
                onRetry={chat.retry}
                disabled={busy}
              />
            </div>
          ) : null}
        </div>
      </div>

      <div className="shrink-0 border-zinc-200 border-t bg-white pb-[max(0.75rem,env(safe-area-inset-bottom))] dark:border-zinc-800 dark:bg-zinc-950">
        <div className="mx-auto flex w-full max-w-3xl flex-col gap-2 px-4 pt-3 sm:px-6">
          {notice ? (
            <p
              role="alert"
              data-testid="chat-notice"
              data-code={notice.code}
              className="rounded-lg bg-amber-50 px-3 py-2 text-amber-900 text-sm dark:bg-amber-950/60 dark:text-amber-100"
            >
              {notice.message}
              {/* A guest over a limit of this address: an account has its own, larger ones. */}
              {notice.code === "rate_limited" && chat.allowance !== null ? (
                <>
                  {" "}
                  <Link
                    href={`/signup?next=${encodeURIComponent(`/c/${conversationId}`)}`}
                    className="font-medium underline underline-offset-2"
                  >
                    Sign up to keep chatting
                  </Link>
                </>
              ) : null}
            </p>
          ) : null}
          {footer}
        </div>
      </div>
      <VoiceAudio player={voice.player} />
    </section>
  );
}
