// A guest listens to Socrates: the play button under a reply plays it in his built-in voice (the
// server speaks it with eSpeak NG on the first request), pauses and resumes it; "Voice replies"
// speaks each new reply by itself and is remembered; nobody else can fetch the audio.
// Runs against the default server (built-in voice, no ElevenLabs), in the voice project's Chromium.

import { expect, test } from "./fixtures";
import { E2E_PORTS } from "./support/e2e-ports";
import { audioPath, VoicePage } from "./support/voice-page";

test.use({ baseURL: `http://127.0.0.1:${E2E_PORTS.app}` });

test("a guest plays a persona's reply, pauses it, and another visitor gets 404 for it", async ({
  guest,
  browser,
  baseURL,
}) => {
  const voice = new VoicePage(guest.page);
  await guest.openGallery();
  const conversationId = await guest.startChattingWith("Socrates");
  // The greeting is not a saved message: nothing to play there.
  await expect(guest.greeting().getByTestId("play-audio")).toHaveCount(0);

  await guest.sendAndWaitForReply("What is courage, really?");
  const button = voice.lastReplyPlayButton();
  await expect(button).toHaveAccessibleName("Listen to the message from Socrates");
  await expect(button).toHaveText("Listen");

  // Keyboard: focus the button and press Enter.
  await button.focus();
  await guest.page.keyboard.press("Enter");
  const replyId = await guest.page.evaluate(async (id) => {
    const r = await fetch(`/api/conversations/${id}`);
    const body = (await r.json()) as { messages: { id: string; role: string }[] };
    return body.messages.findLast((m) => m.role === "assistant")?.id ?? "";
  }, conversationId);
  const path = audioPath(conversationId, replyId);
  const playing = await voice.expectPlaying(path);
  expect(playing.duration, "the source has a positive duration").toBeGreaterThan(0.5);
  expect(Number.isFinite(playing.duration)).toBe(true);
  await expect(button).toHaveAttribute("data-state", "playing");
  await expect(button).toHaveAccessibleName("Pause the message from Socrates");

  await button.click();
  await expect(button).toHaveAttribute("data-state", "paused");
  await expect(button).toHaveText("Resume");
  const pausedAt = (await voice.playerState()).currentTime;
  expect((await voice.playerState()).paused).toBe(true);
  await button.click();
  await expect.poll(async () => (await voice.playerState()).currentTime).toBeGreaterThan(pausedAt);

  // The audio is the guest's own: another visitor, or nobody, gets 404 (JSON, no bytes).
  const other = await browser.newContext({ baseURL });
  const stranger = await other.request.get(path);
  expect(stranger.status()).toBe(404);
  expect(stranger.headers()["content-type"]).toContain("application/json");
  await other.close();
  const owner = await guest.page.request.get(path, { headers: { range: "bytes=0-99" } });
  expect(owner.status()).toBe(206);
  expect(owner.headers()["content-type"]).toBe("audio/mpeg");
  expect((await owner.body()).byteLength).toBe(100);
});

test("with Voice replies on, each new reply is spoken when it finishes, and the choice stays", async ({
  guest,
}) => {
  const voice = new VoicePage(guest.page);
  await guest.openGallery();
  const conversationId = await guest.startChattingWith("Master Kai");
  await guest.sendAndWaitForReply("How do I begin?");
  // Off by default: the first reply was not spoken.
  await expect(voice.voiceRepliesSwitch()).toHaveAttribute("aria-checked", "false");
  expect((await voice.playerState()).src).toBe("");

  await voice.voiceRepliesSwitch().press("Space");
  await expect(voice.voiceRepliesSwitch()).toHaveAttribute("aria-checked", "true");
  // Turning it on does not read out the reply already there.
  expect((await voice.playerState()).src).toBe("");

  await guest.sendAndWaitForReply("And after that?");
  const ids = await guest.page.evaluate(async (id) => {
    const r = await fetch(`/api/conversations/${id}`);
    const body = (await r.json()) as { messages: { id: string; role: string }[] };
    return body.messages.filter((m) => m.role === "assistant").map((m) => m.id);
  }, conversationId);
  expect(ids).toHaveLength(2);
  await voice.expectPlaying(audioPath(conversationId, ids[1] ?? ""));
  await expect(voice.lastReplyPlayButton()).toHaveAttribute("data-state", "playing");

  // Remembered on this browser.
  await guest.page.reload();
  await expect(voice.voiceRepliesSwitch()).toHaveAttribute("aria-checked", "true");
  expect(await guest.page.evaluate(() => localStorage.getItem("persona-chat:voice-replies"))).toBe(
    "on",
  );
  // Without ElevenLabs there is no speech-to-text: no microphone, and no live talk.
  await expect(voice.micButton()).toHaveCount(0);
  await expect(voice.talkLiveButton()).toHaveCount(0);
});
