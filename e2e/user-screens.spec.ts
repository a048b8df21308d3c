// The account screens fit a phone and a desktop: sign-in, sign-up (with a field error), history
// and a resumed conversation, nothing wider than the screen. With AUTH_SHOTS_DIR set, each is
// also saved as a PNG there for a person to look at.

import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "./support/auth-fixtures";
import { newCredentials } from "./support/auth-pages";

const SHOTS_DIR = process.env.AUTH_SHOTS_DIR;

const VIEWPORTS = [
  { name: "desktop", viewport: { width: 1280, height: 800 }, isMobile: false },
  { name: "phone", viewport: { width: 390, height: 844 }, isMobile: true },
] as const;

async function shot(page: Page, name: string) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `${name} is wider than the screen`).toBeLessThanOrEqual(0);
  if (!SHOTS_DIR) return;
  mkdirSync(SHOTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS_DIR, `${name}.png`), fullPage: false });
}

for (const { name, viewport, isMobile } of VIEWPORTS) {
  test.describe(`on a ${name}`, () => {
    test.use({ viewport, isMobile, hasTouch: isMobile });

    test(`the account screens fit (${name})`, async ({ guest, auth, page }) => {
      test.setTimeout(90_000);
      // A guest conversation first, so the screens show their "comes with you" wording.
      await guest.openGallery();
      const id = await guest.startChattingWith("Master Kai");
      await guest.sendAndWaitForReply("How do I begin to meditate when my mind is noisy?");

      await page.goto(`/login?next=/c/${id}`);
      await expect(page.getByRole("heading", { name: "Welcome back" })).toBeVisible();
      await shot(page, `login-${name}`);

      await page.goto(`/signup?next=/c/${id}`);
      await auth.submitSignUp({ email: newCredentials().email, password: "short" });
      await expect(auth.passwordInput()).toHaveAttribute("aria-invalid", "true");
      await shot(page, `signup-error-${name}`);

      const me = newCredentials(`screens-${name}`);
      await auth.submitSignUp(me);
      await page.waitForURL(new RegExp(`/c/${id}$`));
      await guest.sendAndWaitForReply("Thank you. And how long should I sit each day?");
      await guest.openGallery();
      await guest.startChattingWith("Socrates");
      await guest.sendAndWaitForReply("What is the unexamined life?");

      await page.goto("/history");
      await expect(auth.historyLinks()).toHaveCount(2);
      await shot(page, `history-${name}`);

      await auth.historyLink(id).click();
      await page.waitForURL(new RegExp(`/c/${id}$`));
      await expect(guest.messages("user")).toHaveCount(2);
      await shot(page, `resumed-${name}`);
    });
  });
}
