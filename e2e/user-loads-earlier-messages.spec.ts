// A conversation longer than one page (60 messages; the page shows the newest 50): scrolling to
// the top loads the earlier ones above, keeps what was being read in place, and the greeting
// comes back once the start is reached.

import type { Page } from "@playwright/test";
import { listPersonas } from "./support/api-client";
import { expect, test } from "./support/auth-fixtures";
import { newCredentials } from "./support/auth-pages";

async function startWithSocrates(page: Page): Promise<string> {
  const persona = (await listPersonas(page.request)).find((p) => p.name === "Socrates");
  const response = await page.request.post("/api/conversations", {
    data: { personaId: persona?.id },
  });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { conversation: { id: string } }).conversation.id;
}

test("scrolling to the top of a long conversation loads the earlier messages", async ({
  guest,
  auth,
  page,
}) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await auth.signUp(newCredentials("earlier"));
  const id = await startWithSocrates(page);
  for (let i = 1; i <= 30; i++) {
    const response = await page.request.post(`/api/conversations/${id}/messages`, {
      data: { content: `Question ${i}: what is the good life?` },
      headers: { accept: "application/json" },
    });
    expect(response.status(), await response.text()).toBe(200);
  }

  await page.goto(`/c/${id}`);
  await expect(guest.messages()).toHaveCount(50);
  await expect(guest.greeting()).toHaveCount(0);
  const earlier = page.getByTestId("earlier-messages");
  await expect(earlier).toBeVisible();
  // The page opens at the newest message.
  await expect(guest.messages().last()).toBeInViewport();
  await expect(guest.messages("user").first()).toContainText("Question 6:");

  // Scroll to the top: the first ten messages load above.
  const reading = guest.messages("user").filter({ hasText: "Question 6:" });
  const scroller = page.getByTestId("message-scroller");
  await scroller.evaluate((el) => {
    el.scrollTop = 0;
  });
  await expect(guest.messages()).toHaveCount(60);
  await expect(earlier).toHaveCount(0);
  await expect(guest.messages("user").first()).toContainText("Question 1:");
  // What was at the top is still in view, not pushed away by what came in above it.
  await expect(reading).toBeInViewport();
  await expect(guest.greeting()).toHaveCount(1);

  // The conversation goes on at the end as before.
  await guest.sendAndWaitForReply("And one more question.");
  await expect(guest.messages()).toHaveCount(62);
  await expect(guest.messages().last()).toBeInViewport();
});

test("the earlier messages load from the keyboard too", async ({ guest, auth, page }) => {
  test.setTimeout(240_000);
  await auth.signUp(newCredentials("earlier-keys"));
  const id = await startWithSocrates(page);
  for (let i = 1; i <= 26; i++) {
    const response = await page.request.post(`/api/conversations/${id}/messages`, {
      data: { content: `Point ${i}.` },
      headers: { accept: "application/json" },
    });
    expect(response.status()).toBe(200);
  }
  await page.goto(`/c/${id}`);
  await expect(guest.messages()).toHaveCount(50);
  // The composer takes focus once the page is hydrated: a key pressed before that is lost.
  await expect(guest.input()).toBeFocused();
  const button = page.getByRole("button", { name: "Load earlier messages" });
  await button.focus();
  await page.keyboard.press("Enter");
  await expect(guest.messages()).toHaveCount(52);
  await expect(guest.messages("user").first()).toContainText("Point 1.");
});
