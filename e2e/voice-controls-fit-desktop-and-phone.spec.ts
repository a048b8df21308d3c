// The voice controls at desktop (1280x800) and phone (390x844) size, in each of their states: idle
// (Voice replies, the microphone, Talk live), a reply playing, recording, a live session and the
// guest's call to action. Each must be on screen, labelled, and leave the page no wider than the
// viewport; at desktop size each state also passes axe-core (no serious or critical violation) in
// light and dark mode. With VOICE_SCREENS_DIR set, each state is saved there as a PNG to look at.

import { mkdirSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./support/auth-fixtures";
import { newCredentials } from "./support/auth-pages";
import type { ChatPage } from "./support/chat-page";
import { E2E_PORTS } from "./support/e2e-ports";
import { VoicePage } from "./support/voice-page";

const SIZES = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
] as const;

const screensDir = process.env.VOICE_SCREENS_DIR;

/** Saves the screen (also in dark mode at desktop size) and checks it with axe at desktop size. */
async function shoot(page: Page, name: string) {
  const desktop = name.startsWith("desktop");
  for (const colorScheme of desktop ? (["light", "dark"] as const) : (["light"] as const)) {
    await page.emulateMedia({ colorScheme });
    // The picture first: axe takes a moment, and a live session moves on meanwhile.
    if (screensDir) {
      mkdirSync(screensDir, { recursive: true });
      const suffix = colorScheme === "dark" ? "-dark" : "";
      await page.screenshot({ path: path.join(screensDir, `${name}${suffix}.png`) });
    }
    if (desktop) {
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations.filter(
        (v) => v.impact === "serious" || v.impact === "critical",
      );
      expect(
        serious.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target).join(", ")}`),
        `axe on ${name} (${colorScheme})`,
      ).toEqual([]);
    }
  }
  await page.emulateMedia({ colorScheme: null });
}

/** On screen: inside the viewport, and the page no wider than it. */
async function expectFits(guest: ChatPage, locator: Locator) {
  await expect(locator).toBeInViewport({ ratio: 1 });
  await guest.expectNoHorizontalOverflow();
}

for (const size of SIZES) {
  test.describe(`at ${size.name} size`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    test("idle, recording and the guest's call to action", async ({ guest }) => {
      const voice = new VoicePage(guest.page);
      await guest.openGallery();
      await guest.startChattingWith("Socrates");
      await guest.sendAndWaitForReply("What is wisdom?");
      await expectFits(guest, voice.micButton());
      await expectFits(guest, voice.voiceRepliesSwitch());
      await expectFits(guest, voice.talkLiveButton());
      await expectFits(guest, voice.lastReplyPlayButton());
      await shoot(guest.page, `${size.name}-idle`);

      await voice.micButton().click();
      await expect(voice.elapsed()).toHaveText(/0:0[2-9]/, { timeout: 10_000 });
      await expectFits(guest, voice.recordingPanel());
      await expectFits(guest, voice.sendRecordingButton());
      await expectFits(guest, guest.page.getByRole("button", { name: "Cancel the recording" }));
      // Caught while the fake microphone speaks, so the picture shows the meter moving.
      await expect.poll(() => voice.level(), { intervals: [50] }).toBeGreaterThan(40);
      await shoot(guest.page, `${size.name}-recording`);
      await guest.page.keyboard.press("Escape");
      await expect(voice.recordingPanel()).toBeHidden();

      await voice.talkLiveButton().click();
      await expectFits(guest, voice.liveSignupCta());
      await shoot(guest.page, `${size.name}-live-signup-cta`);
    });

    test("a reply playing in the built-in voice", async ({ guest }) => {
      const voice = new VoicePage(guest.page);
      // The built-in voice speaks for several seconds: long enough to see the playing state.
      await guest.page.goto(`http://127.0.0.1:${E2E_PORTS.app}/`);
      await guest.startChattingWith("Master Kai");
      await guest.sendAndWaitForReply("Teach me patience.");
      await voice.lastReplyPlayButton().click();
      await expect(voice.lastReplyPlayButton()).toHaveAttribute("data-state", "playing");
      await expectFits(guest, voice.lastReplyPlayButton());
      await shoot(guest.page, `${size.name}-playing`);
    });

    test("a live session", async ({ guest, auth }) => {
      test.setTimeout(90_000);
      const voice = new VoicePage(guest.page);
      await auth.signUp(newCredentials(`screens-${size.name}`));
      await guest.openGallery();
      await guest.startChattingWith("Chef Rémy");
      await voice.talkLiveButton().click();
      await expect(voice.liveSession()).toHaveAttribute("data-mode", "speaking", {
        timeout: 20_000,
      });
      await expectFits(guest, voice.liveSession());
      await shoot(guest.page, `${size.name}-live-speaking`);
      await expect(guest.page.getByTestId("live-caption")).toHaveCount(2, { timeout: 20_000 });
      await expectFits(guest, guest.page.getByRole("button", { name: "End live conversation" }));
      await shoot(guest.page, `${size.name}-live-captions`);
      await guest.page.getByRole("button", { name: "End live conversation" }).click();
      await expect(voice.liveSession()).toBeHidden({ timeout: 30_000 });
      await expect(guest.messages()).toHaveCount(3);
      await shoot(guest.page, `${size.name}-live-transcript`);
    });
  });
}
