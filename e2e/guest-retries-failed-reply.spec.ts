// The reply engine fails once (the e2e server runs with REPLY_FAULT_INJECTION=1 and the message
// contains #fail-once): the guest sees an inline error, retries, and gets the answer without
// spending another free message.

import { expect, test } from "./fixtures";

test("a failed reply can be retried without using another free message", async ({ guest }) => {
  await guest.openGallery();
  await guest.startChattingWith("Socrates");
  await guest.sendAndWaitForReply("What is wisdom?");
  await guest.expectMessagesLeft(9);

  await guest.send("Is virtue teachable? #fail-once");
  await expect(guest.replyError()).toBeVisible();
  await expect(guest.replyError()).toContainText("could not finish that reply");
  await guest.expectMessagesLeft(8);
  // The failed message is kept, the partial reply is not.
  await expect(guest.messages("user")).toHaveCount(2);
  await expect(guest.messages("assistant")).toHaveCount(1);

  // The errored state survives a reload.
  await guest.page.reload();
  await expect(guest.replyError()).toBeVisible();
  await expect(guest.page.getByTestId("chat")).toHaveAttribute("data-status", "error");

  await guest.retryButton().click();
  await guest.waitUntilIdle();
  await expect(guest.replyError()).toBeHidden();
  await expect(guest.messages("assistant")).toHaveCount(2);
  await expect(guest.lastReply()).toContainText("?");
  await guest.expectMessagesLeft(8);
  await expect(guest.page.getByTestId("chat")).toHaveAttribute("data-status", "active");

  await guest.page.reload();
  await expect(guest.messages("assistant")).toHaveCount(2);
  await guest.expectMessagesLeft(8);
});
