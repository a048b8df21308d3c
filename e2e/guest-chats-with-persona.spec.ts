// A guest picks Socrates from the gallery, sends a message and watches the reply stream in,
// in Socrates' questioning voice; the conversation survives a reload.

import { expect, test } from "./fixtures";

test("a guest chats with Socrates and the reply streams in his voice", async ({ guest }) => {
  await guest.openGallery();
  await expect(guest.personaCards()).toHaveCount(4);
  await expect(guest.page.getByTestId("guest-allowance-note")).toHaveText(
    /10 free messages, no account needed/,
  );

  await guest.startChattingWith("Socrates");
  await expect(guest.greeting()).toContainText("I know only that I know nothing");
  await guest.expectMessagesLeft(10);

  const growth = await guest.recordReplyGrowth();
  await guest.send("I think courage is simply the absence of fear.");
  // While the reply streams, a progress indicator is shown and the send button is disabled.
  await expect(guest.typingIndicator()).toBeVisible();
  await expect(guest.sendButton()).toBeDisabled();
  await guest.waitUntilIdle();

  const reply = (await guest.lastReply().getByTestId("message-text").textContent()) ?? "";
  expect(reply.length).toBeGreaterThan(20);
  expect(reply, "Socrates answers with questions").toContain("?");
  const lengths = await growth();
  expect(lengths.length, "the reply arrived in several pieces").toBeGreaterThan(3);
  await guest.expectMessagesLeft(9);

  await guest.page.reload();
  await expect(guest.messages("user")).toHaveCount(1);
  await expect(guest.messages("user").first()).toContainText("courage is simply");
  await expect(guest.lastReply().getByTestId("message-text")).toHaveText(reply);
  await guest.expectMessagesLeft(9);
});

test("Shift+Enter adds a line instead of sending", async ({ guest }) => {
  await guest.openGallery();
  await guest.startChattingWith("Master Kai");
  await guest.input().fill("First line");
  await guest.input().press("Shift+Enter");
  await guest.input().pressSequentially("second line");
  await expect(guest.input()).toHaveValue("First line\nsecond line");
  await expect(guest.messages("user")).toHaveCount(0);
  await guest.sendButton().click();
  await expect(guest.messages("user")).toHaveCount(1);
  await guest.waitUntilIdle();
});

test("a conversation that is not yours, or does not exist, is a 404", async ({ guest }) => {
  await guest.openGallery();
  const id = await guest.startChattingWith("Chef Rémy");

  const other = await guest.page.context().browser()?.newContext();
  if (!other) throw new Error("no browser");
  const stranger = await other.newPage();
  const response = await stranger.goto(new URL(`/c/${id}`, guest.page.url()).toString());
  expect(response?.status()).toBe(404);
  await expect(stranger.getByTestId("not-found")).toBeVisible();
  await other.close();

  const missing = await guest.page.goto("/c/00000000-0000-4000-8000-000000000000");
  expect(missing?.status()).toBe(404);
  const malformed = await guest.page.goto("/c/not-a-uuid");
  expect(malformed?.status()).toBe(404);
});
