// Every screen passes axe-core with no serious or critical violation, in light and in dark mode
// (prefers-color-scheme): the gallery, a chat (a reply in Markdown, the guest allowance), sign
// in, sign up (with a field error), forgot password, reset password, and for a signed-in user
// the home page with recent conversations, the chat with its history sidebar, the phone drawer
// and the history page.

import { expect, test } from "./support/auth-fixtures";
import { newCredentials } from "./support/auth-pages";
import { expectNoSeriousViolations } from "./support/axe";

test("the guest screens pass axe in light and dark mode", async ({ guest, auth, page }) => {
  test.setTimeout(90_000);
  await guest.openGallery();
  await expectNoSeriousViolations(page, "the gallery");

  await guest.startChattingWith("Chef Rémy");
  // Chef Rémy's recipes come as Markdown: a numbered list and bold quantities.
  await guest.sendAndWaitForReply("How do I make an omelette?");
  await expectNoSeriousViolations(page, "a guest chat");

  await page.goto("/login");
  await expectNoSeriousViolations(page, "sign in");

  await page.goto("/signup");
  await auth.submitSignUp({ email: newCredentials().email, password: "short" });
  await expect(auth.passwordInput()).toHaveAttribute("aria-invalid", "true");
  await expectNoSeriousViolations(page, "sign up with a field error");

  await page.goto("/forgot-password");
  await expect(page.getByTestId("operator-reset")).toBeVisible();
  await expectNoSeriousViolations(page, "forgot password");

  await page.goto("/reset-password");
  await expect(page.getByTestId("reset-needs-link")).toBeVisible();
  await expectNoSeriousViolations(page, "reset password");
});

test("the signed-in screens pass axe in light and dark mode", async ({ guest, auth, page }) => {
  test.setTimeout(90_000);
  await auth.signUp(newCredentials("axe"));
  await guest.openGallery();
  await guest.startChattingWith("Socrates");
  await guest.sendAndWaitForReply("What is justice?");

  await guest.openGallery();
  await expect(page.getByTestId("recent-conversations")).toBeVisible();
  await expectNoSeriousViolations(page, "the signed-in home");

  await page
    .getByTestId("recent-conversations")
    .getByTestId("conversation-list")
    .getByRole("link")
    .first()
    .click();
  await expect(page.getByTestId("history-sidebar")).toBeVisible();
  await expectNoSeriousViolations(page, "a chat with the history sidebar");

  await auth.openHistory();
  await expectNoSeriousViolations(page, "the history page");
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("the chat and its history drawer pass axe", async ({ guest, auth, page }) => {
    await auth.signUp(newCredentials("axe-phone"));
    await guest.openGallery();
    await guest.startChattingWith("Captain Nova");
    await guest.sendAndWaitForReply("Where are we headed?");
    await expectNoSeriousViolations(page, "a chat on a phone");

    await page.getByRole("button", { name: "Your conversations" }).click();
    await expect(page.getByTestId("history-drawer")).toBeVisible();
    await expectNoSeriousViolations(page, "the history drawer");
  });
});
