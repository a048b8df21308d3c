// "Voice replies": the choice to speak each new reply when it finishes, and the speaking. The
// choice is kept in localStorage, so it holds across conversations and visits on this browser,
// and read through useSyncExternalStore so every component sees one value (off on the server and
// before hydration). Replies already on screen when the page opened, or that finished while the
// switch was off, are never spoken later on their own: only the play buttons play them.

import { useCallback, useEffect, useRef, useSyncExternalStore } from "react";
import type { ChatMessage } from "@/components/chat/chat-message";

export const VOICE_REPLIES_KEY = "persona-chat:voice-replies";
/** Fired in this tab when the choice changes (the storage event only reaches other tabs). */
const CHANGE_EVENT = "persona-chat:voice-replies-change";

/** The choice when storage is blocked (private modes, policies): it then lasts for the page only. */
let memory = false;

function read(): boolean {
  try {
    return window.localStorage.getItem(VOICE_REPLIES_KEY) === "on";
  } catch {
    return memory;
  }
}

function subscribe(onChange: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === VOICE_REPLIES_KEY) onChange();
  };
  window.addEventListener("storage", onStorage);
  window.addEventListener(CHANGE_EVENT, onChange);
  return () => {
    window.removeEventListener("storage", onStorage);
    window.removeEventListener(CHANGE_EVENT, onChange);
  };
}

export function useVoiceReplies(): [boolean, (on: boolean) => void] {
  const enabled = useSyncExternalStore(subscribe, read, () => false);
  const setEnabled = useCallback((on: boolean) => {
    memory = on;
    try {
      window.localStorage.setItem(VOICE_REPLIES_KEY, on ? "on" : "off");
    } catch {
      // See read(): kept in memory instead.
    }
    window.dispatchEvent(new Event(CHANGE_EVENT));
  }, []);
  return [enabled, setEnabled];
}

/** The saved ids of the replies that have finished streaming (their `finish` metadata). */
function finishedReplyIds(messages: ChatMessage[]): string[] {
  return messages.flatMap((message) => {
    const saved = message.role === "assistant" ? message.metadata?.assistantMessage : undefined;
    return saved ? [saved.id] : [];
  });
}

export function useSpeakNewReplies(
  messages: ChatMessage[],
  enabled: boolean,
  speak: (messageId: string) => void,
): void {
  const handled = useRef<Set<string> | null>(null);
  useEffect(() => {
    const finished = finishedReplyIds(messages);
    if (handled.current === null) {
      handled.current = new Set(finished);
      return;
    }
    for (const id of finished) {
      if (handled.current.has(id)) continue;
      handled.current.add(id);
      if (enabled) speak(id);
    }
  }, [messages, enabled, speak]);
}
