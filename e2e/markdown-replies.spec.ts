// A persona's reply in Markdown, from an OpenAI-compatible model (the stand-in of
// e2e/support/markdown-model-stand-in.ts, held at two points mid-reply): bold text, a list, a
// table and a fenced code block render as such while the reply streams, half-finished syntax
// included, and after it ends and after a reload. A javascript: link is not clickable, a
// <script> is shown as text, a real link opens in a new tab safely, the visitor's own Markdown
// stays plain text, and Copy copies a message's source and a code block's code.

import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { E2E_PORTS } from "./support/e2e-ports";
import { FULL_REPLY, TITLE } from "./support/markdown-model-stand-in";

const MODEL = `http://127.0.0.1:${E2E_PORTS.markdownModel}`;

/** Lets the held reply stream on to its next hold point (or its end). */
async function release(page: Page): Promise<void> {
  // The reply request reaches the model a moment after the send: wait until it is held.
  await expect
    .poll(
      async () =>
        (
          (await (await page.request.get(`${MODEL}/control/requests`)).json()) as {
            waiting: number;
          }
        ).waiting,
    )
    .toBe(1);
  const answer = await page.request.post(`${MODEL}/control/release`);
  expect(((await answer.json()) as { released: boolean }).released).toBe(true);
}

/** What a reply must show once its first part has arrived: all four kinds of element. */
async function expectRenderedElements(reply: Locator): Promise<void> {
  await expect(reply.locator("strong").first()).toHaveText("bold text");
  await expect(reply.locator("ul > li")).toHaveText(["first item", "second item"]);
  await expect(reply.locator("table th")).toHaveText(["Name", "Role"]);
  await expect(reply.locator("table td")).toHaveText(["Ada", "Engineer"]);
  const code = reply.locator('[data-streamdown="code-block"]');
  await expect(code).toHaveCount(1);
  await expect(code.locator("pre code")).toContainText("const answer = 42;");
  await expect(code.getByRole("button", { name: "Copy code" })).toBeVisible();
  // Nothing of the Markdown syntax is left over as text.
  await expect(reply).not.toContainText("**");
  await expect(reply).not.toContainText("| --- |");
  await expect(reply).not.toContainText("```");
}

async function expectHarmlessEnd(page: Page, reply: Locator): Promise<void> {
  await expect(reply.locator("strong")).toHaveText([
    "bold text",
    "half-finished bold that ends here",
  ]);
  // The javascript: link is its words only: no link, nothing to click that runs code.
  await expect(reply.getByText("bad link", { exact: true })).toBeVisible();
  await expect(reply.getByRole("link", { name: /bad link/ })).toHaveCount(0);
  await expect(reply.locator('a[href^="javascript"]')).toHaveCount(0);
  // The <script> is shown as the text it is, and never ran.
  await expect(reply).toContainText("<script>window.__pwned = true</script>");
  await expect(reply.locator("script")).toHaveCount(0);
  // A real link opens in a new tab without handing the app's window to the other site.
  const docs = reply.getByRole("link", { name: /the docs/ });
  await expect(docs).toHaveAttribute("href", "https://example.com/docs");
  await expect(docs).toHaveAttribute("target", "_blank");
  await expect(docs).toHaveAttribute("rel", "noopener noreferrer");
  expect(await page.evaluate(() => "__pwned" in window)).toBe(false);
}

/** Every Content-Security-Policy refusal on the page, as "directive blocked-uri". */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction("__reportCsp", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { __reportCsp: (t: string) => void }).__reportCsp(
        `${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });
  return violations;
}

test("a reply's Markdown renders while it streams and after, safely", async ({ guest, page }) => {
  test.setTimeout(90_000);
  const cspViolations = await watchCsp(page);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await guest.openGallery();
  await guest.startChattingWith("Socrates");

  // The visitor's own Markdown stays the plain text they typed.
  await guest.send("Show me **some** Markdown, with `code` [hold]");
  const mine = guest.messages("user").last();
  await expect(mine).toContainText("Show me **some** Markdown, with `code` [hold]");
  await expect(mine.locator("strong, code")).toHaveCount(0);

  // First hold: the reply stopped inside an open code fence; everything so far is rendered.
  const reply = guest.lastReply();
  await expect(reply).toHaveAttribute("data-streaming", "true");
  await expectRenderedElements(reply);
  await expect(reply).toHaveAttribute("data-streaming", "true");
  if (process.env.SCREENS_DIR) {
    await page.screenshot({
      path: `${process.env.SCREENS_DIR}/desktop-chat-markdown-streaming.png`,
    });
  }

  // Second hold: the fence is closed, and a bold phrase is half-written: bold already.
  await release(page);
  await expect(reply.locator("pre code")).toContainText("console.log(answer);");
  await expect(reply.locator("strong").nth(1)).toHaveText("half-finished bold");
  await expect(reply).toHaveAttribute("data-streaming", "true");
  await expectRenderedElements(reply);

  // The end.
  await release(page);
  await guest.waitUntilIdle();
  await expect(reply).not.toHaveAttribute("data-streaming");
  await expectRenderedElements(reply);
  await expectHarmlessEnd(page, reply);

  // Clicking the javascript: link's words goes nowhere and runs nothing.
  const url = page.url();
  await reply.getByText("bad link", { exact: true }).click();
  expect(page.url()).toBe(url);
  expect(await page.evaluate(() => "__pwned" in window)).toBe(false);

  // Copy: the code block's code, and the whole message's Markdown source.
  await reply.getByRole("button", { name: "Copy code" }).click();
  await expect
    .poll(async () => (await page.evaluate(() => navigator.clipboard.readText())).trimEnd())
    .toBe("const answer = 42;\nconsole.log(answer);");
  const copy = reply.getByRole("button", { name: "Copy message from Socrates" });
  await copy.click();
  await expect(reply.getByRole("button", { name: "Copied" })).toBeVisible();
  await expect(
    reply.getByRole("status").filter({ hasText: "Copied to the clipboard." }),
  ).toHaveCount(1);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(FULL_REPLY);
  await expect(copy).toBeVisible({ timeout: 5_000 });
  await mine.getByRole("button", { name: "Copy your message" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    "Show me **some** Markdown, with `code` [hold]",
  );

  // Saved and read back: the same rendering from the stored reply.
  await page.reload();
  await expectRenderedElements(guest.lastReply());
  await expectHarmlessEnd(page, guest.lastReply());

  // With a model configured, the model names the conversation after its first reply (asked once
  // the reply's response is done, so it may take a reload to show).
  await expect
    .poll(async () => {
      await page.reload();
      return page.getByTestId("chat-title").textContent();
    })
    .toBe(TITLE);
  const counts = (await (await page.request.get(`${MODEL}/control/requests`)).json()) as {
    completions: number;
    titles: number;
  };
  // One title per conversation's first reply, and the reply asked for once.
  expect(counts.titles).toBeGreaterThan(0);
  expect(counts.titles).toBe(counts.completions);

  // The renderer needs nothing the page's CSP refuses (zod's one eval probe aside, as in
  // api-edge-hardening.spec.ts).
  expect(cspViolations.filter((v) => !/^script-src eval\b|unsafe-eval/.test(v))).toEqual([]);

  // The rendered reply (code block, table, links, copy buttons) passes axe in both themes.
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter(
      (v) => v.impact === "serious" || v.impact === "critical",
    );
    expect(
      serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
      `axe on the Markdown chat (${colorScheme})`,
    ).toEqual([]);
  }

  // For a person to look at (SCREENS_DIR): the rendered reply, desktop and phone, both themes.
  const screens = process.env.SCREENS_DIR;
  if (screens) {
    for (const [size, viewport] of [
      ["desktop", { width: 1280, height: 800 }],
      ["phone", { width: 390, height: 844 }],
    ] as const) {
      await page.setViewportSize(viewport);
      for (const colorScheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme });
        await page.screenshot({
          path: `${screens}/${size}-chat-markdown-${colorScheme}.png`,
          animations: "disabled",
        });
      }
    }
  }
});
