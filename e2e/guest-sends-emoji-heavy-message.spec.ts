// The composer counts a message as the server does (Unicode code points, after trimming): 4000
// emoji, each two UTF-16 units, may be sent and are saved whole; one more is refused by both.

import { expect, test } from "./fixtures";
import { expectError } from "./support/api-client";

const EMOJI = "😀";
const codePoints = (text: string) => [...text].length;

test("4000 emoji can be sent and are saved; 4001 are refused by the composer and the API", async ({
  guest,
}) => {
  await guest.openGallery();
  const conversationId = await guest.startChattingWith("Socrates");
  const counter = guest.page.getByTestId("char-counter");

  const longest = EMOJI.repeat(4000);
  expect(longest.length).toBe(8000);
  await guest.input().fill(longest);
  await expect(counter).toHaveText("4,000 / 4,000");
  await expect(guest.sendButton()).toBeEnabled();
  await expect(guest.input()).not.toHaveAttribute("aria-invalid", "true");
  await guest.sendAndWaitForReply(longest);
  await guest.expectMessagesLeft(9);

  const detail = await guest.page.request.get(`/api/conversations/${conversationId}`);
  const { messages } = (await detail.json()) as { messages: { role: string; content: string }[] };
  const saved = messages.filter((m) => m.role === "user").map((m) => m.content);
  expect(saved).toHaveLength(1);
  expect(saved[0] === longest, "the saved message is the 4000 emoji, unchanged").toBe(true);
  expect(codePoints(saved[0] ?? "")).toBe(4000);

  const tooLong = EMOJI.repeat(4001);
  await guest.input().fill(tooLong);
  await expect(counter).toHaveText("4,001 / 4,000: 1 too many");
  await expect(guest.sendButton()).toBeDisabled();
  await expect(guest.input()).toHaveAttribute("aria-invalid", "true");
  await guest.input().press("Enter");
  await expect(guest.messages("user")).toHaveCount(1);

  // The server refuses the same text, and counts nothing for it.
  const refused = await guest.postMessageViaApi(conversationId, tooLong);
  const body = await expectError(refused, 400, "invalid_input");
  expect(JSON.stringify(body)).toContain('"path":"content"');
  await guest.expectMessagesLeft(9);
  await guest.page.reload();
  await expect(guest.messages("user")).toHaveCount(1);
  await guest.expectMessagesLeft(9);
});
