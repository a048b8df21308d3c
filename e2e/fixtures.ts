// Test fixtures that read like the product's story: "a guest" is a visitor without an account.
// Playwright gives every test a fresh browser context (no cookies), so each test is a new guest
// session; the fixture wraps that test's page in the chat page object.

import { test as base, expect } from "@playwright/test";
import { ChatPage } from "./support/chat-page";

type Fixtures = {
  /** A new visitor without an account, on their own browser context. */
  guest: ChatPage;
};

export const test = base.extend<Fixtures>({
  guest: async ({ page }, use) => {
    await use(new ChatPage(page));
  },
});

export { expect };
