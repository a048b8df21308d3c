"use client";
// The voice parts of the chat page, so the chat view only places them: the footer while voice is
// in use (the live panel or the recording panel in the composer's place, the voice row above it)
// and the play button under a message.

import type { ChatMessage } from "@/components/chat/chat-message";
import type { AudioPlayer } from "@/hooks/use-audio-player";
import type { useVoiceConversation } from "@/hooks/use-voice-conversation";
import type { VoiceCapabilities } from "@/lib/voice/capabilities";
import { LiveSessionPanel } from "./live-session-panel";
import { replyAudioId, voiceMessageAudioId } from "./message-audio";
import { MicButton } from "./mic-button";
import { messageAudioPath, PlayAudioButton } from "./play-audio-button";
import { RecordingPanel } from "./recording-panel";
import { VoiceToolbar } from "./voice-toolbar";

/** What the server page says this visitor may use (lib/voice/capabilities.ts). */
export type ChatVoiceOptions = VoiceCapabilities & { signedIn: boolean };

export const NO_VOICE_INPUT: ChatVoiceOptions = {
  engine: "builtin",
  spokenReplies: true,
  voiceMessages: false,
  liveSessions: false,
  signedIn: false,
};

type Voice = ReturnType<typeof useVoiceConversation>;

export function VoiceFooter({
  voice,
  options,
  conversationId,
  personaName,
  avatarUrl,
  busy,
  composer,
}: {
  voice: Voice;
  options: ChatVoiceOptions;
  conversationId: string;
  personaName: string;
  avatarUrl: string | null;
  busy: boolean;
  composer: React.ReactNode;
}) {
  let main = composer;
  if (voice.inLiveSession) {
    main = <LiveSessionPanel live={voice.live} personaName={personaName} avatarUrl={avatarUrl} />;
  } else if (voice.recording) {
    main = <RecordingPanel recorder={voice.recorder} personaName={personaName} />;
  }
  return (
    <>
      <VoiceToolbar
        conversationId={conversationId}
        personaName={personaName}
        voiceReplies={voice.voiceReplies}
        onVoiceRepliesChange={voice.setVoiceReplies}
        liveAvailable={options.liveSessions}
        signedIn={options.signedIn}
        live={voice.live}
        showSignupCta={voice.showSignupCta}
        onShowSignupCta={voice.setShowSignupCta}
        recorder={options.voiceMessages ? voice.recorder : null}
        busy={busy || voice.recorder.status !== "idle"}
      />
      {main}
    </>
  );
}

/** The composer's microphone, where speech-to-text is configured. */
export function ComposerMic({
  voice,
  options,
  busy,
  personaName,
}: {
  voice: Voice;
  options: ChatVoiceOptions;
  busy: boolean;
  personaName: string;
}) {
  if (!options.voiceMessages) return null;
  return <MicButton recorder={voice.recorder} disabled={busy} personaName={personaName} />;
}

/** "Listen" under a persona's finished reply, or under a voice message the visitor sent. */
export function MessageAudioButton({
  player,
  messages,
  index,
  withAudio,
  conversationId,
  personaName,
}: {
  player: AudioPlayer;
  messages: ChatMessage[];
  index: number;
  /** The ids of saved messages that have audio (voice messages loaded with the page). */
  withAudio: ReadonlySet<string>;
  conversationId: string;
  personaName: string;
}) {
  const message = messages[index];
  if (!message) return null;
  const id =
    message.role === "assistant"
      ? replyAudioId(message)
      : voiceMessageAudioId(messages, index, withAudio);
  if (!id) return null;
  return (
    <PlayAudioButton
      player={player}
      messageId={id}
      src={messageAudioPath(conversationId, id)}
      description={
        message.role === "assistant" ? `the message from ${personaName}` : "your voice message"
      }
    />
  );
}
