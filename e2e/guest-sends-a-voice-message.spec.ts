// A guest records a voice message with the microphone (Chromium's fake one plays a spoken
// sentence): the panel shows the elapsed time and the level, a second click sends, the
// transcript (from the ElevenLabs speech-to-text stand-in) appears as the guest's message and
// the reply streams in, exactly as for a typed message. Esc cancels; a refused microphone is
// explained.

import { chromium } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ChatPage } from "./support/chat-page";
import { VOICE_CHROMIUM_ARGS } from "./support/voice-e2e";
import { VoicePage } from "./support/voice-page";

/** What the stand-in's speech-to-text answers (tests/voice/elevenlabs-stand-in.ts). */
const TRANSCRIPT = "Hello there, how are you today?";

test("a guest records a voice message and sees its transcript and the reply", async ({ guest }) => {
  const voice = new VoicePage(guest.page);
  await guest.openGallery();
  const conversationId = await guest.startChattingWith("Socrates");
  await guest.expectMessagesLeft(10);
  const sttBefore = (await voice.standInRequests()).filter(
    (r) => r.path === "/v1/speech-to-text",
  ).length;

  await expect(voice.micButton()).toHaveAccessibleName("Record a voice message for Socrates");
  await voice.micButton().click();
  await expect(voice.recordingPanel()).toBeVisible();
  // The send button takes the microphone's place and focus, so a second press sends.
  await expect(voice.sendRecordingButton()).toBeFocused();
  await expect(voice.elapsed()).toHaveText(/0:0[2-9]/, { timeout: 10_000 });
  await expect.poll(() => voice.level(), { message: "the level meter moves" }).toBeGreaterThan(20);

  const posted = guest.page.waitForRequest(
    (r) => r.method() === "POST" && r.url().endsWith(`/api/conversations/${conversationId}/voice`),
  );
  await guest.page.keyboard.press("Enter");
  const request = await posted;
  expect(request.headers()["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
  await expect(voice.recordingPanel()).toBeHidden();

  await expect(guest.messages("user")).toHaveCount(1);
  await expect(guest.messages("user").first()).toContainText(TRANSCRIPT);
  await expect(guest.messages("assistant")).toHaveCount(1);
  await guest.waitUntilIdle();
  const reply = (await guest.lastReply().getByTestId("message-text").textContent()) ?? "";
  expect(reply.length).toBeGreaterThan(20);
  await guest.expectMessagesLeft(9);

  // The stand-in heard the recording (a webm file) with the server's key.
  const stt = (await voice.standInRequests()).filter((r) => r.path === "/v1/speech-to-text");
  expect(stt).toHaveLength(sttBefore + 1);
  expect(stt.at(-1)).toMatchObject({ method: "POST", keyAccepted: true });
  expect(stt.at(-1)?.contentType).toMatch(/^multipart\/form-data/);

  // The message keeps its recording, which its owner can play back.
  const userPlay = guest.messages("user").first().getByTestId("play-audio");
  await expect(userPlay).toHaveAccessibleName("Listen to your voice message");
  await userPlay.click();
  await expect
    .poll(async () => {
      const s = await voice.playerState();
      return !s.paused && s.currentTime > 0 && s.duration > 1;
    })
    .toBe(true);

  // Saved like any message: after a reload the transcript is still there.
  await guest.page.reload();
  await expect(guest.messages("user").first()).toContainText(TRANSCRIPT);
  await expect(guest.messages("user").first().getByTestId("play-audio")).toBeVisible();
});

test("Esc cancels a recording: nothing is sent or counted", async ({ guest }) => {
  const voice = new VoicePage(guest.page);
  await guest.openGallery();
  const conversationId = await guest.startChattingWith("Master Kai");
  let posted = 0;
  guest.page.on("request", (r) => {
    if (r.url().endsWith(`/api/conversations/${conversationId}/voice`)) posted += 1;
  });

  await voice.micButton().focus();
  await guest.page.keyboard.press("Enter");
  await expect(voice.recordingPanel()).toBeVisible();
  await expect(voice.elapsed()).toHaveText(/0:01/, { timeout: 10_000 });
  await guest.page.keyboard.press("Escape");
  await expect(voice.recordingPanel()).toBeHidden();
  await expect(guest.input()).toBeVisible();
  await expect(voice.micButton()).toBeVisible();
  await guest.page.waitForTimeout(500);
  expect(posted).toBe(0);
  await expect(guest.messages("user")).toHaveCount(0);
  await guest.expectMessagesLeft(10);
});

test("a refused microphone gets a clear message", async ({ baseURL }) => {
  // A browser that refuses permission prompts, as a visitor pressing "Block" does.
  const refusing = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      ...VOICE_CHROMIUM_ARGS.filter((arg) => arg !== "--use-fake-ui-for-media-stream"),
      "--deny-permission-prompts",
    ],
  });
  try {
    // No permission granted in advance (the runner's defaults would carry the project's).
    const context = await refusing.newContext({ baseURL, permissions: [] });
    const guest = new ChatPage(await context.newPage());
    const voice = new VoicePage(guest.page);
    await guest.openGallery();
    await guest.startChattingWith("Socrates");
    await voice.micButton().click();
    await expect(voice.problem()).toContainText("Microphone access was refused");
    await expect(voice.problem()).toHaveAttribute("role", "alert");
    await expect(voice.recordingPanel()).toBeHidden();
    await voice.problem().getByRole("button", { name: "Dismiss" }).click();
    await expect(voice.problem()).toBeHidden();
  } finally {
    await refusing.close();
  }
});
