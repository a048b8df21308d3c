// Stop and Regenerate, as a guest on the built-in engine (the e2e server runs with
// REPLY_FAULT_INJECTION=1: a message containing #slow-reply is answered a piece every 300 ms, so
// there is time to press Stop). Stopping keeps the partial reply, marked stopped, costs nothing
// more and is no error; Regenerate replaces the newest reply within the message's retry budget
// (RETRIES_PER_MESSAGE, 3) and never uses the allowance.

import { expect, test } from "./fixtures";
import type { ChatPage } from "./support/chat-page";

/** Sends a slow message and waits until the reply has shown its first words. */
async function sendSlow(guest: ChatPage, text: string): Promise<void> {
  const replies = await guest.messages("assistant").count();
  await guest.send(`${text} #slow-reply`);
  await expect(guest.messages("assistant")).toHaveCount(replies + 1);
  await expect(guest.lastReply().getByTestId("message-text")).not.toHaveText("");
  await expect(guest.page.getByTestId("stop-button")).toBeVisible();
}

test("Stop keeps the partial reply marked stopped, and a reload shows it so", async ({ guest }) => {
  await guest.openGallery();
  await guest.startChattingWith("Socrates");

  await sendSlow(guest, "Tell me about the examined life.");
  await guest.page.getByTestId("stop-button").click();
  await guest.waitUntilIdle();
  await expect(guest.page.getByTestId("stop-button")).toHaveCount(0);
  await expect(guest.sendButton()).toBeVisible();
  const reply = guest.lastReply();
  await expect(reply).toHaveAttribute("data-stopped", "true");
  await expect(reply.getByTestId("stopped-label")).toHaveText("Stopped");
  // Not an error: no Retry, the conversation stays active, one message used.
  await expect(guest.replyError()).toHaveCount(0);
  await expect(guest.page.getByTestId("chat")).toHaveAttribute("data-status", "active");
  await guest.expectMessagesLeft(9);
  const shown = (await reply.getByTestId("message-text").textContent()) ?? "";
  expect(shown.trim().length).toBeGreaterThan(0);

  // The saved reply is what had arrived (a word or two more at most, written as the stop
  // reached the server), still marked stopped after a reload.
  await guest.page.reload();
  const saved = guest.lastReply();
  await expect(saved).toHaveAttribute("data-stopped", "true");
  await expect(saved.getByTestId("stopped-label")).toBeVisible();
  const kept = (await saved.getByTestId("message-text").textContent()) ?? "";
  expect(kept.startsWith(shown.trim().split(/\s+/)[0] ?? "")).toBe(true);
  await guest.expectMessagesLeft(9);
  await expect(guest.page.getByTestId("chat")).toHaveAttribute("data-status", "active");

  // The conversation goes on: Esc stops the next slow reply too.
  await sendSlow(guest, "And the unexamined one?");
  await guest.input().press("Escape");
  await guest.waitUntilIdle();
  await expect(guest.lastReply()).toHaveAttribute("data-stopped", "true");
  await guest.expectMessagesLeft(8);
  await guest.sendAndWaitForReply("Thank you.");
  await expect(guest.lastReply()).not.toHaveAttribute("data-stopped", "true");
  await guest.expectMessagesLeft(7);
});

test("Regenerate replaces the newest reply, never uses the allowance, and stops at the retry budget", async ({
  guest,
}) => {
  await guest.openGallery();
  await guest.startChattingWith("Socrates");
  await guest.sendAndWaitForReply("What is justice?");
  await guest.sendAndWaitForReply("Is it the same for everyone?");
  await guest.expectMessagesLeft(8);
  // Only the newest reply offers Regenerate.
  await expect(guest.page.getByTestId("regenerate-reply")).toHaveCount(1);
  await expect(guest.lastReply().getByTestId("regenerate-reply")).toBeVisible();

  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const before = guest.replyRequests.length;
    await guest.lastReply().getByTestId("regenerate-reply").click();
    await guest.waitUntilIdle();
    await guest.expectReplyRequestEndedNormally(before);
    await expect(guest.messages("assistant")).toHaveCount(2);
    await guest.expectMessagesLeft(8);
    ids.push(
      await guest.page.evaluate(async (id) => {
        const r = await fetch(`/api/conversations/${id}`, {
          headers: { accept: "application/json" },
        });
        const body = (await r.json()) as { messages: { id: string; role: string }[] };
        return body.messages.at(-1)?.id ?? "";
      }, guest.conversationId()),
    );
  }
  // Each regeneration is a new saved reply.
  expect(new Set(ids).size).toBe(3);

  // A fourth is over the message's budget: the reply on screen stays, the reason is told.
  await guest.lastReply().getByTestId("regenerate-reply").click();
  await expect(guest.page.getByTestId("chat-notice")).toHaveAttribute(
    "data-code",
    "retry_limit_reached",
  );
  await expect(guest.messages("assistant")).toHaveCount(2);
  await guest.expectMessagesLeft(8);

  // Reload: two exchanges, the allowance unchanged.
  await guest.page.reload();
  await expect(guest.messages("assistant")).toHaveCount(2);
  await expect(guest.messages("user")).toHaveCount(2);
  await guest.expectMessagesLeft(8);
});
