// A live voice conversation with the persona through ElevenLabs Agents. The server hands out a
// signed URL and the persona's overrides (POST .../voice-session {action: "start"}); the official
// @elevenlabs/client runs the session in the browser (microphone in, the persona's voice out);
// when it ends, the server fetches the transcript and saves it as messages ({action: "end"},
// asked again while ElevenLabs answers 202 "processing"), and the chat re-reads the conversation.

import type { VoiceConversation } from "@elevenlabs/client";
import { useCallback, useEffect, useRef, useState } from "react";
import { CLIENT_ERROR_MESSAGES, parseChatError } from "@/components/chat/chat-errors";
import type { VoiceSessionStart } from "@/lib/voice/voice-session";

export type LiveStatus =
  /** Not in a session. */
  | "idle"
  /** Getting the signed URL, the microphone and the connection. */
  | "starting"
  | "live"
  /** The session is over; its transcript is being saved into the conversation. */
  | "saving"
  /** The server answered sign_in_required: show the sign-up call to action. */
  | "signin"
  | "error";

export type LiveLine = { role: "user" | "agent"; text: string };

export type LiveSession = {
  status: LiveStatus;
  /** Who is talking: the persona ("speaking") or the visitor ("listening"). */
  mode: "speaking" | "listening";
  /** What was said so far, newest last (the last few turns). */
  lines: LiveLine[];
  /** 0-1: the visitor's microphone and the persona's voice. */
  inputLevel: number;
  outputLevel: number;
  /** When the connection opened (ms since the epoch), for the elapsed time. */
  connectedAt: number | null;
  error: string | null;
  /** A session ended whose transcript is not saved yet (the error offers to save it again). */
  unsaved: boolean;
  start: () => Promise<void>;
  end: () => Promise<void>;
  /** Tries to save the transcript of the session that just ended again. */
  saveAgain: () => Promise<void>;
  dismiss: () => void;
};

export const LIVE_ERRORS = {
  denied:
    "Microphone access was refused. Allow the microphone for this site in your browser's settings to talk live.",
  noMicrophone: "No microphone was found. Connect one to talk live.",
  connect: "Could not connect to the live voice service. Try again in a moment.",
  dropped: "The live conversation was cut off.",
  notReady: "The transcript is not ready yet. Save it again in a minute; it is kept until then.",
} as const;

const LINES_KEPT = 6;
/** How long to keep asking while ElevenLabs is still processing the ended session. */
const SAVE_PATIENCE_MS = 60_000;

async function errorOf(response: Response) {
  const body = await response.text().catch(() => "");
  return parseChatError(Object.assign(new Error(body), { statusCode: response.status }));
}

function startErrorFor(reason: unknown): string {
  const name = reason instanceof Error ? reason.name : "";
  if (name === "NotAllowedError" || name === "SecurityError") return LIVE_ERRORS.denied;
  if (name === "NotFoundError" || name === "OverconstrainedError") return LIVE_ERRORS.noMicrophone;
  return LIVE_ERRORS.connect;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function useVoiceLiveSession({
  conversationId,
  onSaved,
}: {
  conversationId: string;
  /** The transcript is saved: re-read the conversation so it shows. */
  onSaved: () => Promise<void> | void;
}): LiveSession {
  const [status, setStatus] = useState<LiveStatus>("idle");
  const [mode, setMode] = useState<"speaking" | "listening">("listening");
  const [lines, setLines] = useState<LiveLine[]>([]);
  const [levels, setLevels] = useState({ input: 0, output: 0 });
  const [connectedAt, setConnectedAt] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [unsaved, setUnsaved] = useState(false);
  const session = useRef<VoiceConversation | null>(null);
  const sessionId = useRef<string | null>(null);
  /** Set once the visitor (or an error) ends the session, so onDisconnect does not save twice. */
  const closing = useRef(false);
  const unmounted = useRef(false);
  const onSavedRef = useRef(onSaved);
  useEffect(() => {
    onSavedRef.current = onSaved;
  });

  const api = `/api/conversations/${conversationId}/voice-session`;

  const save = useCallback(async () => {
    const id = sessionId.current;
    if (!id) {
      setStatus("idle");
      return;
    }
    setStatus("saving");
    setError(null);
    const giveUpAt = Date.now() + SAVE_PATIENCE_MS;
    let wait = 1_000;
    for (;;) {
      let response: Response;
      try {
        response = await fetch(api, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({ action: "end", sessionId: id }),
        });
      } catch {
        setUnsaved(true);
        setError(CLIENT_ERROR_MESSAGES.network);
        setStatus("error");
        return;
      }
      if (unmounted.current) return;
      if (response.status === 202) {
        if (Date.now() + wait > giveUpAt) {
          setUnsaved(true);
          setError(LIVE_ERRORS.notReady);
          setStatus("error");
          return;
        }
        await sleep(wait);
        wait = Math.min(wait * 1.5, 5_000);
        continue;
      }
      if (!response.ok) {
        setUnsaved(true);
        setError((await errorOf(response)).message);
        setStatus("error");
        return;
      }
      sessionId.current = null;
      setUnsaved(false);
      await onSavedRef.current();
      setStatus("idle");
      return;
    }
  }, [api]);

  /** Closes the connection (if open) and saves what was said. */
  const finish = useCallback(
    async (reason: string | null) => {
      if (closing.current) return;
      closing.current = true;
      const open = session.current;
      session.current = null;
      setConnectedAt(null);
      setMode("listening");
      await open?.endSession().catch(() => {});
      if (unmounted.current) return;
      await save();
      // A dropped connection is worth saying, after whatever was said has been saved.
      if (reason && !unmounted.current) {
        setError((current) => current ?? reason);
        setStatus((current) => (current === "idle" ? "error" : current));
      }
    },
    [save],
  );

  const start = useCallback(async () => {
    if (session.current) return;
    setError(null);
    setUnsaved(false);
    setLines([]);
    setMode("listening");
    setStatus("starting");
    closing.current = false;
    sessionId.current = null;

    let config: VoiceSessionStart;
    try {
      const response = await fetch(api, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ action: "start" }),
      });
      if (!response.ok) {
        const failure = await errorOf(response);
        if (failure.code === "sign_in_required") {
          setStatus("signin");
          return;
        }
        setError(failure.message);
        setStatus("error");
        return;
      }
      config = (await response.json()) as VoiceSessionStart;
    } catch {
      setError(CLIENT_ERROR_MESSAGES.network);
      setStatus("error");
      return;
    }

    try {
      // Loaded on first use only: most visitors never talk live.
      const { Conversation } = await import("@elevenlabs/client");
      const conversation = await Conversation.startSession({
        signedUrl: config.signedUrl,
        connectionType: "websocket",
        textOnly: false,
        overrides: config.overrides,
        dynamicVariables: config.dynamicVariables,
        onConnect: ({ conversationId: id }) => {
          sessionId.current = id;
        },
        onModeChange: ({ mode: next }) => setMode(next),
        onMessage: ({ role, message }) => {
          if (!message.trim()) return;
          setLines((current) => [...current, { role, text: message }].slice(-LINES_KEPT));
        },
        onDisconnect: (details) => {
          // The agent hung up or the connection dropped: save what was said all the same.
          void finish(details.reason === "error" ? LIVE_ERRORS.dropped : null);
        },
        onError: (message) => console.warn(`[voice] live session: ${message}`),
      });
      if (unmounted.current || closing.current) {
        await conversation.endSession().catch(() => {});
        return;
      }
      session.current = conversation;
      sessionId.current = conversation.getId();
      setConnectedAt(Date.now());
      setStatus("live");
    } catch (reason) {
      console.warn("[voice] live session could not start", reason);
      if (unmounted.current) return;
      setError(startErrorFor(reason));
      setStatus("error");
    }
  }, [api, finish]);

  const end = useCallback(() => finish(null), [finish]);

  // The meters: the SDK measures both directions; read them a few times a second.
  useEffect(() => {
    if (status !== "live") return;
    const timer = setInterval(() => {
      const open = session.current;
      if (!open) return;
      setLevels({ input: open.getInputVolume(), output: open.getOutputVolume() });
    }, 120);
    return () => {
      clearInterval(timer);
      setLevels({ input: 0, output: 0 });
    };
  }, [status]);

  // Leaving the page ends the session (the microphone is released).
  useEffect(() => {
    unmounted.current = false;
    return () => {
      unmounted.current = true;
      closing.current = true;
      void session.current?.endSession().catch(() => {});
      session.current = null;
    };
  }, []);

  const dismiss = useCallback(() => {
    setError(null);
    setStatus("idle");
  }, []);

  return {
    status,
    mode,
    lines,
    inputLevel: levels.input,
    outputLevel: levels.output,
    connectedAt,
    error,
    unsaved,
    start,
    end,
    saveAgain: save,
    dismiss,
  };
}
