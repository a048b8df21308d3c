// The chat page's voice state in one place: the shared audio player, the "Voice replies" choice
// (and speaking new replies with it), the voice-message recorder and the live session. Playback
// stops when the visitor starts to record or to talk live, so the persona is not recorded too.

import { useCallback, useEffect, useRef, useState } from "react";
import type { ChatMessage } from "@/components/chat/chat-message";
import { messageAudioPath } from "@/components/voice/play-audio-button";
import { useAudioPlayer } from "./use-audio-player";
import { useRecorder } from "./use-recorder";
import { useVoiceLiveSession } from "./use-voice-live-session";
import { useSpeakNewReplies, useVoiceReplies } from "./use-voice-replies";

export type VoiceConversationOptions = {
  conversationId: string;
  messages: ChatMessage[];
  /** Sends a recording as a voice message (the chat hook's sendVoice). */
  sendVoice: (recording: Blob) => void;
  /** Re-reads the saved conversation (after a live session's transcript is saved). */
  resync: () => Promise<void> | void;
};

export function useVoiceConversation({
  conversationId,
  messages,
  sendVoice,
  resync,
}: VoiceConversationOptions) {
  const player = useAudioPlayer();
  const { play, stop } = player;
  const [voiceReplies, setVoiceReplies] = useVoiceReplies();
  const [showSignupCta, setShowSignupCta] = useState(false);

  const recorder = useRecorder({ onRecorded: ({ blob }) => sendVoice(blob) });
  const live = useVoiceLiveSession({ conversationId, onSaved: resync });

  const capturing =
    recorder.status !== "idle" || live.status === "starting" || live.status === "live";
  const capturingRef = useRef(capturing);
  useEffect(() => {
    capturingRef.current = capturing;
    if (capturing) stop();
  }, [capturing, stop]);

  const speak = useCallback(
    (messageId: string) => {
      // A reply that finishes while the microphone is open is not spoken into it.
      if (capturingRef.current) return;
      play(messageId, messageAudioPath(conversationId, messageId));
    },
    [play, conversationId],
  );
  useSpeakNewReplies(messages, voiceReplies, speak);

  return {
    player,
    voiceReplies,
    setVoiceReplies,
    recorder,
    live,
    showSignupCta,
    setShowSignupCta,
    /** The composer gives way to the recording or live panel. */
    recording: recorder.status === "recording",
    inLiveSession: live.status === "starting" || live.status === "live" || live.status === "saving",
  };
}
