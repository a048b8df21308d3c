// One user's conversations are theirs alone: another signed-in user sees nothing of them in the
// UI, and the API answers 404 to reading, posting to or ending them.

import { expectError, JSON_ACCEPT } from "./support/api-client";
import { anotherVisitor, expect, test } from "./support/auth-fixtures";
import { newCredentials } from "./support/auth-pages";

test("a user cannot see or post to another user's conversations", async ({
  guest,
  auth,
  page,
  browser,
  baseURL,
}) => {
  await auth.signUp(newCredentials("alice"));
  await guest.openGallery();
  const id = await guest.startChattingWith("Captain Nova");
  await guest.sendAndWaitForReply("Secret mission: the Andromeda coordinates.");

  const bob = await anotherVisitor(browser, baseURL);
  try {
    await bob.auth.signUp(newCredentials("bob"));
    await bob.page.goto("/history");
    await expect(bob.page.getByTestId("history-empty")).toBeVisible();
    await expect(bob.auth.historyLinks()).toHaveCount(0);

    const visit = await bob.page.goto(`/c/${id}`);
    expect(visit?.status()).toBe(404);
    await expect(bob.page.getByText("Andromeda")).toHaveCount(0);

    await expectError(await bob.page.request.get(`/api/conversations/${id}`), 404, "not_found");
    await expectError(
      await bob.page.request.post(`/api/conversations/${id}/messages`, {
        data: { content: "Let me in" },
        headers: JSON_ACCEPT,
      }),
      404,
      "not_found",
    );
    await expectError(
      await bob.page.request.post(`/api/conversations/${id}/end`),
      404,
      "not_found",
    );
    const list = await bob.page.request.get("/api/conversations");
    expect(list.status()).toBe(200);
    expect((await list.json()).conversations).toEqual([]);
  } finally {
    await bob.context.close();
  }

  // Alice's conversation is as she left it.
  const mine = await page.request.get(`/api/conversations/${id}`);
  expect(mine.status()).toBe(200);
  const body = await mine.json();
  expect(body.conversation.status).toBe("active");
  expect(body.messages.filter((m: { role: string }) => m.role === "user")).toHaveLength(1);
});
