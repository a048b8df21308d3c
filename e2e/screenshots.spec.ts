// Screenshots of every screen for a person to look at, at desktop (1280x800) and phone (390x844)
// size, in light and dark mode, with a short and a long (30-message) conversation. Runs only
// with SCREENS_DIR set (the PNGs go there); each screen is still checked to fit its width.

import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { listPersonas } from "./support/api-client";
import { expect, test } from "./support/auth-fixtures";
import { newCredentials } from "./support/auth-pages";

const SCREENS_DIR = process.env.SCREENS_DIR;

const VIEWPORTS = [
  { name: "desktop", viewport: { width: 1280, height: 800 }, isMobile: false },
  { name: "phone", viewport: { width: 390, height: 844 }, isMobile: true },
] as const;

async function shoot(page: Page, name: string): Promise<void> {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, `${name} is wider than the screen`).toBeLessThanOrEqual(0);
    if (SCREENS_DIR) {
      // Transitions finished: a theme switch must not be caught half-way.
      await page.screenshot({
        path: path.join(SCREENS_DIR, `${name}-${colorScheme}.png`),
        animations: "disabled",
      });
    }
  }
  await page.emulateMedia({ colorScheme: null });
}

async function startWith(page: Page, name: string): Promise<string> {
  const persona = (await listPersonas(page.request)).find((p) => p.name === name);
  const response = await page.request.post("/api/conversations", {
    data: { personaId: persona?.id },
  });
  return ((await response.json()) as { conversation: { id: string } }).conversation.id;
}

async function post(page: Page, id: string, content: string): Promise<void> {
  const response = await page.request.post(`/api/conversations/${id}/messages`, {
    data: { content },
    headers: { accept: "application/json" },
  });
  expect(response.status()).toBe(200);
}

for (const { name, viewport, isMobile } of VIEWPORTS) {
  test.describe(`on a ${name}`, () => {
    test.use({ viewport, isMobile, hasTouch: isMobile });

    test(`screens (${name})`, async ({ guest, auth, page }) => {
      test.setTimeout(180_000);
      if (SCREENS_DIR) mkdirSync(SCREENS_DIR, { recursive: true });

      await guest.openGallery();
      await shoot(page, `${name}-gallery-guest`);
      await guest.startChattingWith("Chef Rémy");
      await guest.sendAndWaitForReply("How do I make a simple omelette?");
      await shoot(page, `${name}-chat-short-guest`);
      // A slow reply (REPLY_FAULT_INJECTION's #slow-reply): Stop while it streams, then stopped.
      await guest.send("And a French one? #slow-reply");
      await expect(guest.lastReply().getByTestId("message-text")).not.toHaveText("");
      await expect(page.getByTestId("stop-button")).toBeVisible();
      await shoot(page, `${name}-chat-streaming`);
      await page.getByTestId("stop-button").click();
      await expect(guest.lastReply()).toHaveAttribute("data-stopped", "true");
      await shoot(page, `${name}-chat-stopped`);

      await page.goto("/login");
      await shoot(page, `${name}-login`);
      await page.goto("/signup");
      await auth.submitSignUp({ email: newCredentials().email, password: "short" });
      await shoot(page, `${name}-signup-error`);
      await page.goto("/forgot-password");
      await shoot(page, `${name}-forgot-password`);

      await page.goto("/signup");
      await auth.submitSignUp(newCredentials(`shots-${name}`));
      await auth.expectSignedInAs("shots-");
      for (const persona of ["Master Kai", "Captain Nova"]) {
        await post(page, await startWith(page, persona), `Hello ${persona}, how are you today?`);
      }
      const long = await startWith(page, "Socrates");
      for (let i = 1; i <= 15; i++) {
        await post(page, long, `Question ${i}: what is the good life, and how would we know it?`);
      }
      await guest.openGallery();
      await shoot(page, `${name}-home-signed-in`);
      await page.goto("/history");
      await shoot(page, `${name}-history`);
      await page.goto(`/c/${long}`);
      await expect(guest.messages()).toHaveCount(30);
      await shoot(page, `${name}-chat-long`);
      if (isMobile) {
        await page.getByRole("button", { name: "Your conversations" }).tap();
        await expect(page.getByTestId("history-drawer")).toBeVisible();
        await shoot(page, `${name}-history-drawer`);
        await page.keyboard.press("Escape");
      }
      await page.goto("/reset-password");
      await shoot(page, `${name}-reset-password`);
    });
  });
}
