// The reply engine fails once (the e2e server runs with REPLY_FAULT_INJECTION=1 and the message
// contains #fail-once): the guest sees an inline error, retries, and gets the answer without
// spending another free message.

import { expect, test } from "./fixtures";
import { parseUiStream, postMessage, replyError, startConversation } from "./support/api-client";

test("a failed reply can be retried without using another free message", async ({
  guest,
  request,
}) => {
  // What the server's stream says for this failure, asked by another guest (its own session, so
  // this guest's allowance is untouched): the page must show that sentence, not one of its own.
  const other = await startConversation(request);
  const streamed = await postMessage(
    request,
    other.id,
    "Is virtue teachable? #fail-once",
    "stream",
  );
  const serverError = replyError(parseUiStream(await streamed.text()).chunks);
  expect(serverError?.code).toBe("reply_failed");

  await guest.openGallery();
  await guest.startChattingWith("Socrates");
  await guest.sendAndWaitForReply("What is wisdom?");
  await guest.expectMessagesLeft(9);

  await guest.send("Is virtue teachable? #fail-once");
  await expect(guest.replyError()).toBeVisible();
  await expect(guest.replyError()).toContainText("could not finish that reply");
  await expect(guest.page.getByTestId("reply-error-reason")).toHaveText(serverError?.message ?? "");
  await guest.expectMessagesLeft(8);
  // The failed message is kept, the partial reply is not.
  await expect(guest.messages("user")).toHaveCount(2);
  await expect(guest.messages("assistant")).toHaveCount(1);

  // The errored state survives a reload.
  await guest.page.reload();
  await expect(guest.replyError()).toBeVisible();
  await expect(guest.page.getByTestId("chat")).toHaveAttribute("data-status", "error");
  // After a reload the page did not see the failure, so only the status is told.
  await expect(guest.page.getByTestId("reply-error-reason")).toHaveCount(0);

  // The failed reply's request has ended (however the browser reports it) before the retry's.
  await expect.poll(() => guest.replyRequests.length).toBe(2);
  await guest.retryButton().click();
  await guest.waitUntilIdle();
  await expect(guest.replyError()).toBeHidden();
  await expect(guest.messages("assistant")).toHaveCount(2);
  await expect(guest.lastReply()).toContainText("?");
  await guest.expectMessagesLeft(8);
  await expect(guest.page.getByTestId("chat")).toHaveAttribute("data-status", "active");
  // The retried reply finished, and so did its request.
  await guest.expectReplyRequestEndedNormally(2);

  await guest.page.reload();
  await expect(guest.messages("assistant")).toHaveCount(2);
  await guest.expectMessagesLeft(8);
});
