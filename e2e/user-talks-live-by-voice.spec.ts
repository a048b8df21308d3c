// A signed-in user talks live with Socrates: the official @elevenlabs/client runs the session in
// Chromium (fake microphone) against the Agents WebSocket stand-in, the panel shows who is
// speaking, and when the user ends it the transcript (fetched by the server from the stand-in's
// GET /v1/convai/conversations/{id}) lands in the conversation, in order. Guests are asked to
// sign up instead.

import { expect, test } from "./support/auth-fixtures";
import { newCredentials } from "./support/auth-pages";
import { VOICE_AGENT_ID } from "./support/voice-e2e";
import { VoicePage } from "./support/voice-page";

const USER_SAID = "Tell me about the good life, please.";
const AGENT_SAID = "A fine question. Let us begin with what you already believe.";

test("a signed-in user holds a live session and its transcript lands in the conversation", async ({
  guest,
  auth,
}) => {
  test.setTimeout(120_000);
  const voice = new VoicePage(guest.page);
  await auth.signUp(newCredentials("live"));
  await guest.openGallery();
  const conversationId = await guest.startChattingWith("Socrates");
  const greeting = (await guest.greeting().getByTestId("message-text").textContent()) ?? "";
  const sessionsBefore = (await voice.standInSessions()).length;

  await expect(voice.talkLiveButton()).toHaveAccessibleName("Talk live with Socrates");
  await voice.talkLiveButton().click();
  await expect(voice.liveSession()).toBeVisible();
  await expect(voice.liveSession()).toHaveAttribute("data-status", "live", { timeout: 20_000 });
  // The persona's first message is spoken, then it listens; the user's words come back.
  await expect(voice.liveSession()).toHaveAttribute("data-mode", "speaking");
  await expect(voice.liveState()).toHaveText("Socrates is speaking");
  await expect(voice.liveState()).toHaveText("Listening to you…", { timeout: 15_000 });
  const captions = guest.page.getByTestId("live-caption");
  await expect(captions).toHaveText([`You: ${USER_SAID}`, `Socrates: ${AGENT_SAID}`], {
    timeout: 20_000,
  });
  await expect(guest.page.getByTestId("live-elapsed")).toHaveText(/0:0\d/);
  // The composer gives way to the session.
  await expect(guest.input()).toHaveCount(0);

  // What went over the socket, as the stand-in saw it.
  const session = (await voice.standInSessions())[sessionsBefore];
  expect(session?.agentId).toBe(VOICE_AGENT_ID);
  expect(session?.clientData?.conversation_config_override?.agent?.first_message).toBe(greeting);
  expect(session?.clientData?.conversation_config_override?.agent?.prompt?.prompt).toMatch(
    /Socrates/,
  );
  expect(session?.clientData?.conversation_config_override?.tts?.voice_id).toMatch(/\w+/);
  expect(session?.clientData?.dynamic_variables).toEqual({
    persona_chat_conversation_id: conversationId,
  });
  expect(session?.sent.slice(0, 2)).toEqual(["conversation_initiation_metadata", "agent_response"]);
  expect(session?.sent).toContain("audio");
  expect(session?.sent).toContain("user_transcript");
  expect(session?.audioChunks).toBeGreaterThan(10);
  expect(session?.peakLevel, "the microphone's sentence was heard").toBeGreaterThan(0.02);
  await expect
    .poll(async () => (await voice.standInSessions())[sessionsBefore]?.pongs)
    .toEqual([1, 2]);

  await guest.page.getByRole("button", { name: "End live conversation" }).click();
  // ElevenLabs takes a moment to process the call (202), then the transcript is saved.
  await expect(voice.liveState()).toHaveText("Saving the transcript to this conversation…");
  await expect(voice.liveSession()).toBeHidden({ timeout: 30_000 });
  await expect(guest.input()).toBeVisible();

  await expect(guest.messages()).toHaveCount(3);
  await expect(guest.messages().nth(0)).toHaveAttribute("data-role", "assistant");
  await expect(guest.messages().nth(0)).toContainText(greeting);
  await expect(guest.messages().nth(1)).toHaveAttribute("data-role", "user");
  await expect(guest.messages().nth(1)).toContainText(USER_SAID);
  await expect(guest.messages().nth(2)).toContainText(AGENT_SAID);
  const closed = (await voice.standInSessions())[sessionsBefore];
  expect(closed?.closed).toBe(true);

  // Saved: still there after a reload, and saving again adds nothing.
  await guest.page.reload();
  await expect(guest.messages()).toHaveCount(3);
  const again = await guest.page.request.post(
    `/api/conversations/${conversationId}/voice-session`,
    {
      data: { action: "end", sessionId: closed?.conversationId },
    },
  );
  expect(again.status()).toBe(200);
  expect(await again.json()).toMatchObject({ status: "saved", saved: false, messageCount: 3 });
});

test("a guest who wants to talk live is asked to sign up", async ({ guest }) => {
  const voice = new VoicePage(guest.page);
  await guest.openGallery();
  const conversationId = await guest.startChattingWith("Chef Rémy");
  await voice.talkLiveButton().click();
  const cta = voice.liveSignupCta();
  await expect(cta).toBeVisible();
  await expect(cta.getByRole("heading")).toHaveText("Talk live with Chef Rémy");
  await expect(cta.getByRole("link", { name: "Sign up to talk live" })).toHaveAttribute(
    "href",
    `/signup?next=/c/${conversationId}`,
  );
  await cta.getByRole("button", { name: "Close" }).click();
  await expect(cta).toBeHidden();

  // The API says the same to a guest who calls it.
  const response = await guest.page.request.post(
    `/api/conversations/${conversationId}/voice-session`,
    { data: { action: "start" } },
  );
  expect(response.status()).toBe(403);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
    "sign_in_required",
  );
});
