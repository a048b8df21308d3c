// A guest ends a conversation: it becomes read-only, and a new one with the same persona is one
// click away.

import { expect, test } from "./fixtures";

test("a guest ends a conversation and starts a new one with the same persona", async ({
  guest,
}) => {
  await guest.openGallery();
  const first = await guest.startChattingWith("Chef Rémy");
  await guest.sendAndWaitForReply("How do I make a simple omelette?");

  // The confirm step can be cancelled.
  await guest.page.getByTestId("end-conversation").click();
  await guest.page.getByRole("button", { name: "Keep chatting" }).click();
  await expect(guest.input()).toBeVisible();

  await guest.endConversation();
  await expect(guest.endedBanner()).toContainText("This conversation has ended");
  await expect(guest.input()).toHaveCount(0);
  await expect(guest.messages("user")).toHaveCount(1);

  // Still read-only after a reload, and the API agrees.
  await guest.page.reload();
  await expect(guest.endedBanner()).toBeVisible();
  await expect(guest.input()).toHaveCount(0);
  const refused = await guest.postMessageViaApi(first, "Anyone there?");
  expect(refused.status()).toBe(409);
  expect((await refused.json()).error.code).toBe("conversation_ended");

  const second = await guest.startNewConversationWith("Chef Rémy");
  expect(second).not.toBe(first);
  await expect(guest.messages()).toHaveCount(0);
  await expect(guest.input()).toBeVisible();
  // Ending used no allowance: one message sent so far.
  await guest.expectMessagesLeft(9);
});
