// Page object for the guest chat: the persona gallery and a conversation, in the words a
// visitor would use ("start chatting with Socrates", "send", "retry", "end the conversation").

import { expect, type Locator, type Page, type Request } from "@playwright/test";

/** How a reply request (POST .../messages, .../retry or .../regenerate) ended, as the browser reports it. */
export type ReplyRequestOutcome = { path: string; failure: string | null };

const REPLY_PATH = /^\/api\/conversations\/[^/]+\/(messages|retry|regenerate)$/;

function isReplyRequest(request: Request): boolean {
  return request.method() === "POST" && REPLY_PATH.test(new URL(request.url()).pathname);
}

export class ChatPage {
  readonly page: Page;
  /** Every reply request this page made that has ended, in order. */
  readonly replyRequests: ReplyRequestOutcome[] = [];

  constructor(page: Page) {
    this.page = page;
    // A reply whose stream was read to the end must end as a finished request, not as
    // net::ERR_ABORTED (which Chromium reports when the load is cancelled).
    page.on("requestfinished", (request) => {
      if (isReplyRequest(request)) {
        this.replyRequests.push({ path: new URL(request.url()).pathname, failure: null });
      }
    });
    page.on("requestfailed", (request) => {
      if (isReplyRequest(request)) {
        this.replyRequests.push({
          path: new URL(request.url()).pathname,
          failure: request.failure()?.errorText ?? "failed",
        });
      }
    });
  }

  // --- gallery -----------------------------------------------------------------------------

  async openGallery(): Promise<void> {
    await this.page.goto("/");
    await expect(this.page.getByRole("heading", { level: 1 })).toBeVisible();
  }

  personaCards(): Locator {
    return this.page.getByTestId("persona-card");
  }

  /** From the gallery: starts a conversation with a persona and waits for its chat page. */
  async startChattingWith(name: string): Promise<string> {
    await this.page.getByRole("button", { name: `Start chatting with ${name}` }).click();
    await this.page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
    await expect(this.personaHeading()).toHaveText(name);
    return this.conversationId();
  }

  conversationId(): string {
    const match = new URL(this.page.url()).pathname.match(/^\/c\/([0-9a-f-]{36})$/);
    if (!match?.[1]) throw new Error(`Not on a conversation page: ${this.page.url()}`);
    return match[1];
  }

  // --- conversation ------------------------------------------------------------------------

  personaHeading(): Locator {
    return this.page.locator("#chat-persona-name");
  }

  greeting(): Locator {
    return this.page.getByTestId("greeting");
  }

  messages(role?: "user" | "assistant"): Locator {
    const all = this.page.getByTestId("message");
    return role ? all.and(this.page.locator(`[data-role="${role}"]`)) : all;
  }

  lastReply(): Locator {
    return this.messages("assistant").last();
  }

  input(): Locator {
    return this.page.getByTestId("composer-input");
  }

  sendButton(): Locator {
    return this.page.getByTestId("send-button");
  }

  typingIndicator(): Locator {
    return this.page.getByTestId("typing-indicator");
  }

  allowanceText(): Locator {
    return this.page.getByTestId("allowance-text");
  }

  signupCta(): Locator {
    return this.page.getByTestId("signup-cta");
  }

  replyError(): Locator {
    return this.page.getByTestId("reply-error");
  }

  retryButton(): Locator {
    return this.page.getByRole("button", { name: "Retry" });
  }

  endedBanner(): Locator {
    return this.page.getByTestId("ended-banner");
  }

  /** Types a message and presses Enter (the composer's send key). */
  async send(text: string): Promise<void> {
    await this.input().fill(text);
    await this.input().press("Enter");
  }

  /**
   * Sends a message and waits until the persona's full reply has arrived, and its request has
   * ended normally.
   */
  async sendAndWaitForReply(text: string): Promise<string> {
    const replies = await this.messages("assistant").count();
    const request = this.replyRequests.length;
    await this.send(text);
    await expect(this.messages("user").last()).toHaveText(new RegExp(escapeRegExp(text)));
    await expect(this.messages("assistant")).toHaveCount(replies + 1);
    await this.waitUntilIdle();
    await this.expectReplyRequestEndedNormally(request);
    return (await this.lastReply().getByTestId("message-text").textContent()) ?? "";
  }

  /**
   * Waits until reply request number `index` (0-based, in the order they ended) has ended, and
   * checks that the browser saw it finish rather than fail. Only for replies that finished: at a
   * stream's `error` chunk the AI SDK stops reading and cancels the rest, which may show as
   * net::ERR_ABORTED.
   */
  async expectReplyRequestEndedNormally(index: number): Promise<void> {
    await expect.poll(() => this.replyRequests.length).toBeGreaterThan(index);
    expect(this.replyRequests[index]).toEqual({ path: expect.any(String), failure: null });
  }

  async waitUntilIdle(): Promise<void> {
    await expect(this.typingIndicator()).toBeHidden();
  }

  /**
   * Starts recording the text of the newest persona bubble each time it changes, so a test can
   * check the reply arrived piece by piece rather than all at once.
   */
  async recordReplyGrowth(): Promise<() => Promise<number[]>> {
    await this.page.evaluate(() => {
      const w = window as unknown as { __replyLengths: number[] };
      w.__replyLengths = [];
      const observer = new MutationObserver(() => {
        const bubbles = document.querySelectorAll('[data-testid="message"][data-role="assistant"]');
        const text = bubbles[bubbles.length - 1]?.textContent ?? "";
        const lengths = w.__replyLengths;
        if (lengths[lengths.length - 1] !== text.length) lengths.push(text.length);
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    return () =>
      this.page.evaluate(() => (window as unknown as { __replyLengths: number[] }).__replyLengths);
  }

  async expectMessagesLeft(remaining: number, limit = 10): Promise<void> {
    await expect(this.allowanceText()).toHaveText(`${remaining} of ${limit} guest messages left`);
  }

  async endConversation(): Promise<void> {
    await this.page.getByTestId("end-conversation").click();
    const dialog = this.page.getByRole("dialog", { name: "End this conversation?" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "End conversation" }).click();
    await expect(this.endedBanner()).toBeVisible();
  }

  async startNewConversationWith(name: string): Promise<string> {
    const before = this.conversationId();
    await this.page.getByRole("button", { name: `Start a new conversation with ${name}` }).click();
    await this.page.waitForURL(
      (url) => /^\/c\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(before),
    );
    await expect(this.personaHeading()).toHaveText(name);
    return this.conversationId();
  }

  /** Posts straight to the messages API with this browser's cookies (the guest session). */
  async postMessageViaApi(conversationId: string, content: string) {
    return this.page.request.post(`/api/conversations/${conversationId}/messages`, {
      data: { content },
      headers: { accept: "application/json" },
    });
  }

  async expectNoHorizontalOverflow(): Promise<void> {
    const overflow = await this.page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, "page is wider than the viewport").toBeLessThanOrEqual(0);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
