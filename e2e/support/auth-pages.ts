// Page object for accounts: the sign-up and sign-in screens, the header's account menu and the
// conversation history, in the words a visitor would use ("sign up", "sign out", "open history").

import { expect, type Locator, type Page } from "@playwright/test";

export type Credentials = { email: string; password: string };

let counter = 0;

/** A new, unique account (only its owner's test knows it). */
export function newCredentials(tag = "user"): Credentials {
  counter += 1;
  const unique = `${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 6)}`;
  return { email: `${tag}-${unique}@example.com`, password: "Harbour-lights-42" };
}

export class AuthPages {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  emailInput(): Locator {
    return this.page.getByLabel("Email");
  }

  passwordInput(): Locator {
    return this.page.getByLabel("Password", { exact: true });
  }

  /** The form's own alert (not Next's route announcer, which is an alert too). */
  formAlert(): Locator {
    return this.page.locator("main").getByRole("alert");
  }

  /** The account area in the site header. */
  accountMenu(): Locator {
    return this.page.getByRole("navigation", { name: "Account" });
  }

  signedInUser(): Locator {
    return this.page.getByTestId("signed-in-user");
  }

  /** Fills and submits the sign-up form on the current /signup page; waits for the answer. */
  async submitSignUp({ email, password }: Credentials): Promise<void> {
    await expect(
      this.page.getByRole("heading", { level: 1, name: "Create your account" }),
    ).toBeVisible();
    await this.emailInput().fill(email);
    await this.passwordInput().fill(password);
    await this.submit("Create account");
  }

  /** Fills and submits the sign-in form on the current /login page; waits for the answer. */
  async submitSignIn({ email, password }: Credentials): Promise<void> {
    await expect(this.page.getByRole("heading", { level: 1, name: "Welcome back" })).toBeVisible();
    await this.emailInput().fill(email);
    await this.passwordInput().fill(password);
    await this.submit("Sign in");
  }

  /**
   * Clicks the form's button and waits until the server action has answered and the form is idle
   * again (or the page has moved on), so the next step never races React's form reset.
   */
  private async submit(label: string): Promise<void> {
    const path = new URL(this.page.url()).pathname;
    const button = this.page.locator("main").getByRole("button", { name: label, exact: true });
    const answered = this.page.waitForResponse(
      (r) => r.request().method() === "POST" && new URL(r.url()).pathname === path,
    );
    await button.click();
    await answered;
    await expect
      .poll(async () => {
        if (new URL(this.page.url()).pathname !== path) return true;
        if ((await button.count()) === 0) return false; // mid-navigation
        return button.isEnabled({ timeout: 500 }).catch(() => false);
      })
      .toBe(true);
  }

  /** From the header: signs up and waits until the header shows the account. */
  async signUpFromHeader(credentials: Credentials): Promise<void> {
    await this.accountMenu().getByRole("link", { name: "Sign up" }).click();
    await this.page.waitForURL(/\/signup/);
    await this.submitSignUp(credentials);
    await this.expectSignedInAs(credentials.email);
  }

  async signInFromHeader(credentials: Credentials): Promise<void> {
    await this.accountMenu().getByRole("link", { name: "Sign in" }).click();
    await this.page.waitForURL(/\/login/);
    await this.submitSignIn(credentials);
    await this.expectSignedInAs(credentials.email);
  }

  /** Creates an account from a fresh page (no guest session involved). */
  async signUp(credentials: Credentials): Promise<void> {
    await this.page.goto("/signup");
    await this.submitSignUp(credentials);
    await this.expectSignedInAs(credentials.email);
  }

  async signOut(): Promise<void> {
    await this.accountMenu().getByRole("button", { name: "Sign out" }).click();
    await expect(this.accountMenu().getByRole("link", { name: "Sign in" })).toBeVisible();
  }

  async expectSignedInAs(email: string): Promise<void> {
    await expect(this.signedInUser()).toContainText(email);
  }

  async openHistory(): Promise<void> {
    await this.accountMenu().getByRole("link", { name: "History" }).click();
    await this.page.waitForURL(/\/history$/);
    await expect(
      this.page.getByRole("heading", { level: 1, name: "Your conversations" }),
    ).toBeVisible();
  }

  /** The conversation links on /history (or in the sidebar), newest first. */
  historyLinks(): Locator {
    return this.page.getByTestId("conversation-list").getByRole("link");
  }

  historyLink(conversationId: string): Locator {
    return this.page.locator(`[data-testid="conversation-list"] a[href="/c/${conversationId}"]`);
  }
}
