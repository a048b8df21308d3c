// Page object for the voice controls of a conversation, in a visitor's words ("listen to the
// reply", "record a voice message", "talk live"), and what the ElevenLabs stand-in received.

import { expect, type Locator, type Page } from "@playwright/test";
import type { AgentsSession, StandInRequestSummary } from "./elevenlabs-e2e-stand-in";
import { VOICE_PORTS } from "./voice-e2e";

/** What the page's one audio element is doing. */
export type PlayerState = {
  src: string;
  paused: boolean;
  currentTime: number;
  duration: number;
  readyState: number;
};

export class VoicePage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  playButtons(): Locator {
    return this.page.getByTestId("play-audio");
  }

  /** The play button under the newest persona reply. */
  lastReplyPlayButton(): Locator {
    return this.page
      .getByTestId("message")
      .and(this.page.locator('[data-role="assistant"]'))
      .last()
      .getByTestId("play-audio");
  }

  player(): Locator {
    return this.page.getByTestId("voice-player");
  }

  async playerState(): Promise<PlayerState> {
    return this.player().evaluate((element) => {
      const audio = element as HTMLAudioElement;
      return {
        src: audio.currentSrc,
        paused: audio.paused,
        currentTime: audio.currentTime,
        duration: audio.duration,
        readyState: audio.readyState,
      };
    });
  }

  /** Waits until the audio element is playing `path` (a message's audio) and has moved on. */
  async expectPlaying(path: string): Promise<PlayerState> {
    await expect
      .poll(async () => {
        const s = await this.playerState();
        return new URL(s.src || "about:blank").pathname === path && !s.paused && s.currentTime > 0;
      })
      .toBe(true);
    return this.playerState();
  }

  voiceRepliesSwitch(): Locator {
    return this.page.getByRole("switch", { name: "Voice replies" });
  }

  micButton(): Locator {
    return this.page.getByTestId("mic-button");
  }

  recordingPanel(): Locator {
    return this.page.getByTestId("recording-panel");
  }

  elapsed(): Locator {
    return this.page.getByTestId("recording-elapsed");
  }

  /** The microphone level the meter shows, 0-100. */
  async level(): Promise<number> {
    return Number(await this.page.getByTestId("recording-level").getAttribute("value"));
  }

  sendRecordingButton(): Locator {
    return this.page.getByRole("button", { name: "Stop recording and send" });
  }

  problem(): Locator {
    return this.page.getByTestId("voice-problem");
  }

  talkLiveButton(): Locator {
    return this.page.getByTestId("talk-live");
  }

  liveSession(): Locator {
    return this.page.getByTestId("live-session");
  }

  liveState(): Locator {
    return this.page.getByTestId("live-state");
  }

  liveSignupCta(): Locator {
    return this.page.getByTestId("live-signup-cta");
  }

  // --- the stand-in ----------------------------------------------------------------------------

  async standInRequests(): Promise<StandInRequestSummary[]> {
    const response = await fetch(`http://127.0.0.1:${VOICE_PORTS.elevenlabs}/__stand-in/requests`);
    return ((await response.json()) as { requests: StandInRequestSummary[] }).requests;
  }

  async standInSessions(): Promise<AgentsSession[]> {
    const response = await fetch(`http://127.0.0.1:${VOICE_PORTS.elevenlabs}/__stand-in/sessions`);
    return ((await response.json()) as { sessions: AgentsSession[] }).sessions;
  }
}

export function audioPath(conversationId: string, messageId: string): string {
  return `/api/conversations/${conversationId}/messages/${messageId}/audio`;
}
