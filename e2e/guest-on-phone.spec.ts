// The core guest flow on a phone-sized screen: gallery, chat, streamed reply, ending; nothing
// wider than the screen, and the composer stays at the bottom.

import { expect, test } from "./fixtures";

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

test("a guest chats on a phone", async ({ guest }) => {
  await guest.openGallery();
  await guest.expectNoHorizontalOverflow();

  await guest.startChattingWith("Master Kai");
  await guest.expectNoHorizontalOverflow();

  const long = "Breathing is hard to remember when the day is busy and loud ".repeat(4);
  await guest.sendAndWaitForReply(
    `${long} supercalifragilisticexpialidocious-without-spaces-at-all`,
  );
  await guest.sendAndWaitForReply("How do I slow down?");
  await guest.expectMessagesLeft(8);
  await guest.expectNoHorizontalOverflow();

  // The composer sits at the bottom of the screen, in reach of the thumb.
  const box = await guest.input().boundingBox();
  expect(box).not.toBeNull();
  if (box) expect(box.y + box.height).toBeGreaterThan(844 - 160);

  await guest.endConversation();
  await expect(guest.input()).toHaveCount(0);
  await guest.expectNoHorizontalOverflow();
});
