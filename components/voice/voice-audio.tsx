// The conversation's one audio element, driven by its player (hooks/use-audio-player.ts): no
// controls of its own, since the play buttons under the messages are the controls.

import type { AudioPlayerWithElement } from "@/hooks/use-audio-player";

export function VoiceAudio({ player }: { player: AudioPlayerWithElement }) {
  return (
    // biome-ignore lint/a11y/useMediaCaption: spoken replies; the message text is the caption.
    <audio ref={player.ref} preload="none" data-testid="voice-player" className="hidden" />
  );
}
