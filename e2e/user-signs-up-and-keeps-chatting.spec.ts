// A guest chats a little, signs up from the header, finds that conversation in their history and
// carries on with no cap; later signs out, signs back in and resumes where they left off.

import { expect, test } from "./support/auth-fixtures";
import { newCredentials } from "./support/auth-pages";

test("a guest signs up, finds the conversation in their history and chats on without a cap", async ({
  guest,
  auth,
  page,
}) => {
  test.setTimeout(180_000);
  await guest.openGallery();
  const id = await guest.startChattingWith("Socrates");
  for (let i = 1; i <= 3; i++) {
    await guest.sendAndWaitForReply(`Guest question ${i}: what is virtue?`);
  }
  await guest.expectMessagesLeft(7);

  const me = newCredentials("keeps-chatting");
  await auth.signUpFromHeader(me);

  await auth.openHistory();
  await expect(auth.historyLinks()).toHaveCount(1);
  await expect(auth.historyLink(id)).toContainText("Socrates");
  await expect(auth.historyLink(id)).toContainText("Active");
  await auth.historyLink(id).click();
  await page.waitForURL(new RegExp(`/c/${id}$`));

  // The guest's messages are there, and there is no allowance any more.
  await expect(guest.messages("user")).toHaveCount(3);
  await expect(guest.allowanceText()).toHaveCount(0);
  for (let i = 1; i <= 12; i++) {
    await guest.sendAndWaitForReply(`Member question ${i}: and what is justice?`);
  }
  await expect(guest.messages("user")).toHaveCount(15);
  await expect(guest.signupCta()).toHaveCount(0);
  await expect(guest.input()).toBeVisible();

  // On desktop the sidebar lists it, marked as the open one.
  const sidebar = page.getByRole("navigation", { name: "Conversation history" });
  await expect(sidebar.locator('a[aria-current="page"]')).toHaveAttribute("href", `/c/${id}`);

  await auth.signOut();
  const signedOut = await page.goto(`/c/${id}`);
  expect(signedOut?.status()).toBe(404);

  await page.goto("/");
  await auth.signInFromHeader(me);
  await auth.openHistory();
  await auth.historyLink(id).click();
  await page.waitForURL(new RegExp(`/c/${id}$`));
  await expect(guest.messages("user")).toHaveCount(15);
  await guest.sendAndWaitForReply("I am back. Where were we?");
  await expect(guest.messages("user")).toHaveCount(16);
});
