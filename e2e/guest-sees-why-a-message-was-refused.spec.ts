// A refused message: the chat shows the server's own sentence (its JSON error), not one of its
// own, and hands the message back to the composer so nothing typed is lost.

import { expect, test } from "./fixtures";

test("a message refused by the server shows the server's sentence and returns to the composer", async ({
  guest,
}) => {
  await guest.openGallery();
  await guest.startChattingWith("Captain Nova");
  await guest.sendAndWaitForReply("Where are we headed?");

  // The guest session is gone (cookies cleared in another tab): this conversation is no longer
  // theirs, and the server answers 404 before saving anything.
  await guest.page.context().clearCookies();
  const refused = guest.page.waitForResponse(
    (r) => r.request().method() === "POST" && r.url().endsWith("/messages"),
  );
  await guest.send("Are we there yet?");
  const response = await refused;
  expect(response.status()).toBe(404);
  const { error } = (await response.json()) as { error: { code: string; message: string } };
  expect(error.code).toBe("not_found");

  const notice = guest.page.getByTestId("chat-notice");
  await expect(notice).toHaveText(error.message);
  await expect(guest.input()).toHaveValue("Are we there yet?");
  await expect(guest.messages("user")).toHaveCount(1);
  await expect(guest.replyError()).toHaveCount(0);
});
