// A guest who has used every free message signs up from the chat's prompt and lands back in the
// same conversation, now theirs, with the composer open and no cap.

import { expect, test } from "./support/auth-fixtures";
import { newCredentials } from "./support/auth-pages";

test("a guest at the cap signs up from the prompt and keeps chatting in the same conversation", async ({
  guest,
  auth,
  page,
}) => {
  test.setTimeout(120_000);
  await guest.openGallery();
  const id = await guest.startChattingWith("Chef Rémy");
  // The first nine through the API (same cookies), the tenth through the screen.
  for (let i = 1; i <= 9; i++) {
    expect((await guest.postMessageViaApi(id, `Quick kitchen question ${i}?`)).status()).toBe(200);
  }
  await page.reload();
  await guest.expectMessagesLeft(1);
  await guest.sendAndWaitForReply("Last free question: how long should dough rest?");
  await expect(guest.signupCta()).toBeVisible();
  await expect(guest.input()).toHaveCount(0);

  await guest.signupCta().getByRole("link", { name: "Sign up to keep chatting" }).click();
  await page.waitForURL(
    (url) => url.pathname === "/signup" && url.searchParams.get("next") === `/c/${id}`,
  );
  const me = newCredentials("at-the-cap");
  await auth.submitSignUp(me);

  await page.waitForURL(new RegExp(`/c/${id}$`));
  await auth.expectSignedInAs(me.email);
  await expect(guest.signupCta()).toHaveCount(0);
  await expect(guest.input()).toBeVisible();
  await expect(guest.allowanceText()).toHaveCount(0);
  await expect(guest.messages("user")).toHaveCount(10);
  await guest.sendAndWaitForReply("Now that I have an account: one more question?");
  await expect(guest.messages("user")).toHaveCount(11);

  const detail = await page.request.get(`/api/conversations/${id}`);
  expect(detail.status()).toBe(200);
  const body = await detail.json();
  expect(body.allowance).toBeNull();
  expect(body.conversation.isGuestSession).toBe(false);
});
