// Fixtures for the account specs: "a guest" (the chat page object from ../fixtures) who can also
// use the account screens, and helpers to stand up a second, separate visitor.

import type { Browser } from "@playwright/test";
import { test as base, expect } from "../fixtures";
import { AuthPages } from "./auth-pages";
import { ChatPage } from "./chat-page";

type AuthFixtures = {
  /** The account screens, on the same page (and cookies) as `guest`. */
  auth: AuthPages;
};

export const test = base.extend<AuthFixtures>({
  auth: async ({ page }, use) => {
    await use(new AuthPages(page));
  },
});

/** Another visitor, in a browser context of their own (no shared cookies). */
export async function anotherVisitor(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  return { context, page, chat: new ChatPage(page), auth: new AuthPages(page) };
}

export { expect };
