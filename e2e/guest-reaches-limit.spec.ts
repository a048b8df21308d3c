// A guest's 10 free messages count down; at the cap the composer gives way to a sign-up call to
// action, and the API refuses an 11th message with 429 guest_limit_reached.

import { expect, test } from "./fixtures";

test("a guest uses all 10 free messages and is invited to sign up", async ({ guest }) => {
  test.setTimeout(120_000);
  await guest.openGallery();
  const id = await guest.startChattingWith("Captain Nova");
  await guest.expectMessagesLeft(10);

  for (let sent = 1; sent <= 10; sent++) {
    await expect(guest.input()).toBeVisible();
    await guest.sendAndWaitForReply(`Message number ${sent}: where shall we fly next?`);
    if (sent < 10) await guest.expectMessagesLeft(10 - sent);
  }

  await expect(guest.signupCta()).toBeVisible();
  await expect(guest.input()).toHaveCount(0);
  const signUp = guest.signupCta().getByRole("link", { name: "Sign up to keep chatting" });
  await expect(signUp).toHaveAttribute("href", `/signup?next=/c/${id}`);
  await expect(guest.messages("user")).toHaveCount(10);
  await expect(guest.messages("assistant")).toHaveCount(10);

  const refused = await guest.postMessageViaApi(id, "One more, please?");
  expect(refused.status()).toBe(429);
  expect((await refused.json()).error.code).toBe("guest_limit_reached");

  // The cap holds across reloads and across the guest's other conversations.
  await guest.page.reload();
  await expect(guest.signupCta()).toBeVisible();
  await guest.openGallery();
  await expect(guest.page.getByTestId("guest-allowance-note")).toContainText(
    "used all 10 free guest messages",
  );
  await guest.startChattingWith("Socrates");
  await expect(guest.signupCta()).toBeVisible();
});
