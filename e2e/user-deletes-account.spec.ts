// A user deletes their account from /account: signs up, chats, opens the account page from the
// header (axe in light and dark mode, screenshots at desktop and phone size), confirms in the
// dialog by typing their email (a typo first, Esc to back out once), and lands on the home page
// signed out with a notice. The old password no longer signs in, the old conversation is a 404,
// and /account now asks to sign in. Screenshots go to SCREENS_DIR when set, else to the test's
// output folder; every shot is also checked to fit its width.

import path from "node:path";
import type { Page, TestInfo } from "@playwright/test";
import { expect, test } from "./support/auth-fixtures";
import { newCredentials } from "./support/auth-pages";
import { expectNoSeriousViolations } from "./support/axe";

const VIEWPORTS = [
  { name: "desktop", size: { width: 1280, height: 800 } },
  { name: "phone", size: { width: 390, height: 844 } },
] as const;

/** The screen at both sizes, light and dark; each must fit its width. */
async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const dir = process.env.SCREENS_DIR ?? testInfo.outputPath("screens");
  for (const { name: size, size: viewport } of VIEWPORTS) {
    await page.setViewportSize(viewport);
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${name} (${size}) is wider than the screen`).toBeLessThanOrEqual(0);
      await page.screenshot({
        path: path.join(dir, `${name}-${size}-${colorScheme}.png`),
        animations: "disabled",
        fullPage: true,
      });
    }
  }
  await page.emulateMedia({ colorScheme: null });
  await page.setViewportSize(VIEWPORTS[0].size);
}

test("a user deletes their account and everything in it from the account page", async ({
  guest,
  auth,
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  await page.setViewportSize(VIEWPORTS[0].size);
  const me = newCredentials("deletes-account");
  await auth.signUp(me);
  await guest.openGallery();
  const id = await guest.startChattingWith("Socrates");
  await guest.sendAndWaitForReply("Before I go: what is a good life?");

  // The header's account link leads to the account page.
  await auth
    .accountMenu()
    .getByRole("link", { name: /Account/ })
    .click();
  await page.waitForURL(/\/account$/);
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await expect(page.getByTestId("account-email")).toHaveText(me.email);
  await expect(page.getByTestId("account-conversations")).toHaveText("1 conversation");
  await expect(page.getByRole("button", { name: "Sign out everywhere" })).toBeVisible();
  await expectNoSeriousViolations(page, "the account page");
  await shoot(page, testInfo, "account");

  // The dialog: the safe choice has focus, and Esc backs out without deleting anything.
  const open = page.getByRole("button", { name: "Delete account…" });
  const dialog = page.getByRole("dialog", { name: "Delete your account?" });
  await open.click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Keep my account" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(open).toBeFocused();

  // A typo is pointed out at the field, and nothing is sent.
  await open.click();
  const field = dialog.getByLabel(/To confirm, type your email address/);
  await field.fill(`${me.email}x`);
  await dialog.getByRole("button", { name: "Delete my account" }).click();
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(dialog).toContainText("Type your email address exactly as shown");
  await expectNoSeriousViolations(page, "the delete dialog with a field error");
  await shoot(page, testInfo, "account-delete-dialog");

  // Typed right and submitted from the keyboard: the account goes, and so does the session.
  await field.fill(me.email);
  await expect(field).not.toHaveAttribute("aria-invalid", "true");
  await field.press("Enter");
  await page.waitForURL((url) => url.pathname === "/");
  await expect(page.getByTestId("account-deleted-notice")).toHaveText(/Your account was deleted\./);
  // The notice is shown once: the address no longer carries it.
  await expect.poll(() => new URL(page.url()).search).toBe("");
  await expect(auth.accountMenu().getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(auth.signedInUser()).toHaveCount(0);
  await shoot(page, testInfo, "home-after-deletion");
  await page.getByRole("button", { name: "Dismiss" }).click();
  await expect(page.getByTestId("account-deleted-notice")).toHaveCount(0);

  // The old password no longer signs in.
  await page.goto("/login");
  await auth.submitSignIn(me);
  await expect(auth.formAlert()).toContainText("not correct");
  await expect(auth.signedInUser()).toHaveCount(0);

  // The old conversation is gone, for this browser as for anyone.
  const gone = await page.goto(`/c/${id}`);
  expect(gone?.status()).toBe(404);
  const api = await page.request.get(`/api/conversations/${id}`);
  expect(api.status()).toBe(404);

  // The account page is for signed-in users only.
  await page.goto("/account");
  await page.waitForURL(/\/login\?next=(%2F|\/)account$/);
});
