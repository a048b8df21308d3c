// The chat page's state: useChat over the messages API (voice messages go through the same
// machinery to POST .../voice; Retry and Regenerate to .../retry and .../regenerate), what the
// server's answers mean for the conversation (its status, the guest allowance), Stop, earlier
// messages loaded a page at a time, the draft, and the error state machine that decides, for each
// failure, which messages stay on screen and what the visitor is told.

import { useChat } from "@ai-sdk/react";
import { DefaultChatTransport, generateId } from "ai";
import { useEffect, useMemo, useRef, useState } from "react";
import {
  type ChatError,
  CLIENT_ERROR_MESSAGES,
  parseChatError,
} from "@/components/chat/chat-errors";
import {
  type ChatMessage,
  isStopped,
  textOf,
  toChatMessages,
  withSavedTail,
} from "@/components/chat/chat-message";
import {
  VOICE_PLACEHOLDER,
  voiceAwareFetch,
  voiceMessagePath,
} from "@/components/voice/voice-request";
import type { Allowance, Conversation, ConversationStatus, Message } from "@/lib/chat/types";
import { useConversationResync } from "./use-conversation-resync";

export type ConversationChatOptions = {
  conversation: Conversation;
  /** The saved messages the page was rendered with (the newest page). */
  messages: Message[];
  /** Whether earlier messages exist, and the cursor that reads them (`?before=`). */
  hasMore?: boolean;
  nextBefore?: string | null;
  allowance: Allowance;
  personaName: string;
};

/** Voice messages sent from this page: their recording until it is sent, then null. */
type Recordings = Map<string, Blob | null>;

/** What useChat's regenerate() asks for: answering a failed message again, or a new reply. */
type Again = { current: "retry" | "regenerate" };

/** After Stop, how often and how long to look for the stopped reply the server saves. */
const STOP_SETTLE_MS = 250;
const STOP_SETTLE_TRIES = 12;

function messagesTransport(conversationId: string, recordings: Recordings, again: Again) {
  return new DefaultChatTransport<ChatMessage>({
    api: `/api/conversations/${conversationId}/messages`,
    // A voice message goes to POST .../voice as multipart (components/voice/voice-request.ts).
    fetch: voiceAwareFetch(recordings),
    prepareSendMessagesRequest: ({ messages, trigger }) => {
      if (trigger === "regenerate-message") {
        return { api: `/api/conversations/${conversationId}/${again.current}`, body: {} };
      }
      const lastUser = messages.findLast((m) => m.role === "user");
      if (lastUser && recordings.get(lastUser.id)) {
        return { api: voiceMessagePath(conversationId), body: { voiceRecording: lastUser.id } };
      }
      return { body: { content: textOf(lastUser) } };
    },
  });
}

export function useConversationChat({
  conversation,
  messages: saved,
  hasMore: initialHasMore = false,
  nextBefore: initialNextBefore = null,
  allowance: initialAllowance,
  personaName,
}: ConversationChatOptions) {
  const conversationId = conversation.id;
  const [status, setStatus] = useState<ConversationStatus>(conversation.status);
  /** The title: the first message's words once it is posted, or as the owner renames it. */
  const [title, setTitle] = useState(conversation.title);
  const [allowance, setAllowance] = useState<Allowance>(initialAllowance);
  /** A failure shown above the composer (not a failed reply: that is `status === "error"`). */
  const [notice, setNotice] = useState<ChatError | null>(null);
  /** The server's sentence for the reply that just failed; null after a reload or a retry. */
  const [replyFailure, setReplyFailure] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  /** What screen readers hear once a reply is complete. */
  const [announcement, setAnnouncement] = useState("");
  // Which request the current error belongs to: a failed send, retry and regenerate differ.
  const trigger = useRef<"submit" | "retry" | "regenerate">("submit");
  const again = useRef<"retry" | "regenerate">("retry");
  /** Earlier messages: whether there are any, the cursor, and a page being read. */
  const [earlier, setEarlier] = useState({
    hasMore: initialHasMore,
    nextBefore: initialNextBefore,
    loading: false,
    failed: false,
  });
  const lastSent = useRef("");
  const loadSaved = useConversationResync(conversationId);

  // A later server render (e.g. after ending) is the source of truth for the status.
  useEffect(() => setStatus(conversation.status), [conversation.status]);
  useEffect(() => setTitle(conversation.title), [conversation.title]);

  const [recordings] = useState<Recordings>(() => new Map());
  const transport = useMemo(
    () => messagesTransport(conversationId, recordings, again),
    [conversationId, recordings],
  );
  const initialMessages = useMemo(() => toChatMessages(saved), [saved]);

  const {
    messages,
    sendMessage,
    regenerate,
    setMessages,
    stop: stopChat,
    status: chatStatus,
  } = useChat<ChatMessage>({
    id: conversationId,
    messages: initialMessages,
    transport,
    onFinish: ({ message, isError, isAbort }) => {
      const meta = message.metadata;
      if (meta?.allowance !== undefined) setAllowance(meta.allowance);
      if (meta?.conversation?.title) setTitle(meta.conversation.title);
      if (isAbort) {
        markStopped();
        setAnnouncement(`You stopped ${personaName}'s reply.`);
        void settleStopped();
        return;
      }
      if (!isError && meta?.conversation) setStatus(meta.conversation.status);
      if (!isError) setAnnouncement(`${personaName} replied.`);
    },
    onError: (error) => handleError(error),
  });

  const busy = chatStatus === "submitted" || chatStatus === "streaming";
  const busyRef = useRef(busy);
  busyRef.current = busy;
  const last = messages.at(-1);
  const streamingMessage = busy && last?.role === "assistant" ? last : undefined;
  // The `start` chunk carries the allowance after this message: show it as soon as it arrives.
  const liveAllowance = streamingMessage?.metadata?.allowance;
  const shownAllowance = liveAllowance !== undefined ? liveAllowance : allowance;
  const capped = shownAllowance !== null && shownAllowance.remaining <= 0;
  const ended = status === "ended";
  const showRetry = status === "error" && !busy && !ended;
  const lastMessage = messages.at(-1);
  /** The newest reply may be replaced (not while one streams, after a failure or the end). */
  const canRegenerate = !busy && !ended && status !== "error" && lastMessage?.role === "assistant";

  // A voice message shows its transcript as soon as the server has it (the `start` chunk).
  const posted = streamingMessage?.metadata?.userMessage;
  useEffect(() => {
    if (!posted) return;
    setMessages((current) => {
      const at = current.findLastIndex((m) => m.role === "user");
      const mine = current[at];
      if (!mine || !recordings.has(mine.id) || textOf(mine) === posted.content) return current;
      const transcribed: ChatMessage = { ...mine, parts: [{ type: "text", text: posted.content }] };
      return current.map((m, i) => (i === at ? transcribed : m));
    });
  }, [posted, recordings, setMessages]);

  /** Marks the reply being written as stopped, as the server saves it. */
  function markStopped() {
    setMessages((current) => {
      const last = current.at(-1);
      if (last?.role !== "assistant") {
        // Stopped before the first word: the server keeps an empty, stopped reply.
        const empty: ChatMessage = {
          id: generateId(),
          role: "assistant",
          parts: [{ type: "text", text: "" }],
          metadata: { stopped: true },
        };
        return [...current, empty];
      }
      const stopped: ChatMessage = { ...last, metadata: { ...last.metadata, stopped: true } };
      return [...current.slice(0, -1), stopped];
    });
  }

  /**
   * The server saves what it had written when it saw the request end, which may be a few words
   * more than arrived here: once that stopped reply is saved, show the saved conversation.
   */
  async function settleStopped() {
    for (let attempt = 1; attempt <= STOP_SETTLE_TRIES; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, STOP_SETTLE_MS));
      if (busyRef.current) return;
      const fresh = await loadSaved();
      if (!fresh) continue;
      const last = fresh.messages.at(-1);
      const settled = last?.role === "assistant" && last.stopped;
      if (settled || attempt === STOP_SETTLE_TRIES) {
        if (busyRef.current) return;
        setMessages((current) => withSavedTail(current, toChatMessages(fresh.messages)));
        setStatus(fresh.conversation.status);
        return;
      }
    }
  }

  function dropTrailing(role: "user" | "assistant") {
    setMessages((current) => (current.at(-1)?.role === role ? current.slice(0, -1) : current));
  }

  function handleError(error: Error) {
    const parsed = parseChatError(error);
    setAnnouncement("");
    // Did the server accept the message? Its `start` chunk (with the saved message) says so.
    const current = messages.at(-1);
    const streamStarted =
      current?.role === "assistant" && current.metadata?.userMessage !== undefined;
    if (trigger.current === "regenerate" && !streamStarted && parsed.code !== "reply_failed") {
      // Refused before anything changed (retry_limit_reached, rate_limited, reply_in_progress,
      // a network failure): useChat took the old reply off the screen; the saved one is back.
      setNotice(parsed.code === "nothing_to_retry" ? null : parsed);
      void resync({ keepNotice: true });
      return;
    }
    switch (parsed.code) {
      case "reply_failed":
        // The partial reply was not saved; the conversation is `error` until a retry succeeds.
        dropTrailing("assistant");
        setStatus("error");
        setReplyFailure(parsed.message);
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
  async function resync({ keepNotice = false }: { keepNotice?: boolean } = {}) {
    const fresh = await loadSaved();
    if (!fresh) {
      setNotice({ code: "unknown", message: CLIENT_ERROR_MESSAGES.resyncFailed });
      return;
    }
    setMessages((current) => withSavedTail(current, toChatMessages(fresh.messages)));
    setStatus(fresh.conversation.status);
    setReplyFailure(null);
    if (!keepNotice) setNotice(null);
  }

  /** Reads the page of messages before the earliest one shown, and puts it above. */
  async function loadEarlier() {
    if (!earlier.hasMore || !earlier.nextBefore || earlier.loading) return;
    setEarlier((e) => ({ ...e, loading: true, failed: false }));
    const page = await loadSaved({ before: earlier.nextBefore });
    if (!page) {
      setEarlier((e) => ({ ...e, loading: false, failed: true }));
      return;
    }
    setMessages((current) => {
      const shown = new Set(current.map((m) => m.id));
      return [...toChatMessages(page.messages).filter((m) => !shown.has(m.id)), ...current];
    });
    setEarlier({
      hasMore: page.hasMore,
      nextBefore: page.nextBefore,
      loading: false,
      failed: false,
    });
  }

  function send(text: string) {
    trigger.current = "submit";
    lastSent.current = text;
    setNotice(null);
    setDraft("");
    void sendMessage({ text });
  }

  /** Sends a recording as a voice message: the transcript and the reply arrive as for text. */
  function sendVoice(recording: Blob) {
    trigger.current = "submit";
    lastSent.current = "";
    setNotice(null);
    const id = generateId();
    recordings.set(id, recording);
    void sendMessage({
      id,
      role: "user",
      parts: [{ type: "text", text: VOICE_PLACEHOLDER }],
    }).finally(() => recordings.set(id, null));
  }

  function retry() {
    trigger.current = "retry";
    again.current = "retry";
    setNotice(null);
    setReplyFailure(null);
    setStatus("active");
    void regenerate();
  }

  /** A new reply in place of the newest one (within the message's retry budget). */
  function regenerateReply() {
    if (busy || messages.at(-1)?.role !== "assistant") return;
    trigger.current = "regenerate";
    again.current = "regenerate";
    setNotice(null);
    setReplyFailure(null);
    void regenerate();
  }

  /** Stops the reply being written: what has arrived stays, marked stopped (Stop, or Esc). */
  function stop() {
    if (busy) void stopChat();
  }

  /** The conversation was ended here (the End button's server action answered). */
  function markEnded(endedConversation: Conversation) {
    setStatus(endedConversation.status);
    setNotice(null);
  }

  return {
    messages,
    title,
    setTitle,
    /** The assistant message still arriving, if any. */
    streamingMessage,
    status,
    busy,
    ended,
    /** A guest with no messages left. */
    capped,
    allowance: shownAllowance,
    notice,
    replyFailure,
    showRetry,
    draft,
    setDraft,
    announcement,
    canRegenerate,
    /** Earlier messages: `hasMore`, `loading`, `failed` (then loadEarlier tries again). */
    earlier,
    isStopped,
    send,
    sendVoice,
    retry,
    regenerate: regenerateReply,
    stop,
    loadEarlier,
    resync,
    markEnded,
  };
}
