// A signed-in user's long conversation (30 messages): only the message list scrolls. After
// scrolling to the newest message the site header, the first entry of the history sidebar and
// the composer are all still on screen, and the page itself never scrolls. On a phone, the
// history is one tap away from the chat, in a drawer.

import type { Page } from "@playwright/test";
import { listPersonas } from "./support/api-client";
import { expect, test } from "./support/auth-fixtures";
import { newCredentials } from "./support/auth-pages";

/** Starts a conversation with the named persona through the API (the page's cookies). */
async function startWith(page: Page, name: string): Promise<string> {
  const persona = (await listPersonas(page.request)).find((p) => p.name === name);
  const response = await page.request.post("/api/conversations", {
    data: { personaId: persona?.id },
  });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { conversation: { id: string } }).conversation.id;
}

async function post(page: Page, conversationId: string, content: string): Promise<void> {
  const response = await page.request.post(`/api/conversations/${conversationId}/messages`, {
    data: { content },
    headers: { accept: "application/json" },
  });
  expect(response.status(), await response.text()).toBe(200);
}

const pageScrollY = (page: Page) => page.evaluate(() => window.scrollY);

test("in a 30-message conversation the sidebar stays in view", async ({ guest, auth, page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await auth.signUp(newCredentials("long"));
  for (const name of ["Master Kai", "Captain Nova"]) {
    const id = await startWith(page, name);
    await post(page, id, `Hello ${name}, a short one.`);
  }
  // Chef Rémy answers recipes in Markdown; the sidebar previews them as plain words.
  await post(page, await startWith(page, "Chef Rémy"), "How do I make a simple omelette?");
  const id = await startWith(page, "Socrates");
  for (let i = 1; i <= 15; i++) {
    await post(
      page,
      id,
      `Question ${i}: what would you ask about virtue, courage and the good life?`,
    );
  }

  await page.goto(`/c/${id}`);
  await expect(guest.messages()).toHaveCount(30);
  const sidebar = page.getByTestId("history-sidebar");
  const entries = sidebar.getByRole("link", { name: /Socrates|Chef Rémy|Captain Nova|Master Kai/ });
  await expect(entries).toHaveCount(4);
  const chef = entries.filter({ hasText: "Chef Rémy" });
  await expect(chef).toContainText("omelette aux fines herbes");
  await expect(chef).not.toContainText("**");
  // Newest first: this conversation, the one on screen.
  const first = entries.first();
  await expect(first).toHaveAttribute("aria-current", "page");

  // The list opens at the newest message, which is on screen with everything around it.
  const scroller = page.getByTestId("message-scroller");
  await expect(guest.messages().last()).toBeInViewport();
  await expect(first).toBeInViewport();
  await expect(page.getByRole("banner")).toBeInViewport();
  await expect(guest.input()).toBeInViewport();
  expect(await pageScrollY(page)).toBe(0);

  // Up to the first message and back down: the list scrolls, nothing else moves.
  await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
  await expect(guest.messages().first()).toBeInViewport();
  await expect(guest.messages().last()).not.toBeInViewport();
  await expect(first).toBeInViewport();
  await scroller.hover();
  await page.mouse.wheel(0, 100_000);
  await expect(guest.messages().last()).toBeInViewport();
  await expect(first).toBeInViewport();
  await expect(page.getByRole("banner")).toBeInViewport();
  expect(await pageScrollY(page)).toBe(0);

  // One more message from the composer: still the same frame, the reply at the bottom.
  await guest.sendAndWaitForReply("And what is the unexamined life?");
  await expect(guest.messages()).toHaveCount(32);
  await expect(guest.messages().last()).toBeInViewport();
  await expect(first).toBeInViewport();
  expect(await pageScrollY(page)).toBe(0);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("the history is one tap away from a chat", async ({ guest, auth, page }) => {
    await auth.signUp(newCredentials("drawer"));
    const kai = await startWith(page, "Master Kai");
    await post(page, kai, "How do I breathe?");
    const nova = await startWith(page, "Captain Nova");
    await post(page, nova, "Where to next?");

    await page.goto(`/c/${nova}`);
    await expect(page.getByTestId("history-sidebar")).toBeHidden();
    await page.getByRole("button", { name: "Your conversations" }).tap();
    const drawer = page.getByRole("dialog", { name: "Your conversations" });
    await expect(drawer).toBeVisible();
    await expect(drawer.getByRole("link", { name: /Captain Nova/ })).toHaveAttribute(
      "aria-current",
      "page",
    );
    await drawer.getByRole("link", { name: /Master Kai/ }).tap();
    await page.waitForURL(new RegExp(`/c/${kai}$`));
    await expect(guest.personaHeading()).toHaveText("Master Kai");
    await expect(drawer).toBeHidden();

    // Closed with its button too, and the chat fits the screen.
    await page.getByRole("button", { name: "Your conversations" }).tap();
    await expect(drawer).toBeVisible();
    await drawer.getByRole("button", { name: "Close" }).tap();
    await expect(drawer).toBeHidden();
    await guest.expectNoHorizontalOverflow();
  });
});
