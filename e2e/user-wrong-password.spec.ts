// Wrong passwords: each shows an error (the email stays filled in), and after five in a row from
// one address, that address is refused for the account for a while, even with the right password.

import { expect, test } from "./support/auth-fixtures";
import { newCredentials } from "./support/auth-pages";

test("wrong passwords show an error, and many of them are blocked", async ({ auth, page }) => {
  const me = newCredentials("forgetful");
  await auth.signUp(me);
  await auth.signOut();

  await page.goto("/login");
  for (let i = 1; i <= 5; i++) {
    await auth.submitSignIn({ email: me.email, password: `Wrong-guess-${i}` });
    await expect(auth.formAlert()).toHaveText("The email or password is not correct.");
    await expect(auth.emailInput()).toHaveValue(me.email);
  }

  await auth.submitSignIn({ email: me.email, password: "Wrong-guess-6" });
  await expect(auth.formAlert()).toHaveText(
    "Too many failed sign-in attempts. Try again in 15 minutes.",
  );
  await auth.submitSignIn(me);
  await expect(auth.formAlert()).toContainText("Too many failed sign-in attempts");
  await expect(auth.accountMenu().getByRole("link", { name: "Sign in" })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe("/login");

  // Somebody else's account is not affected.
  const other = newCredentials("unaffected");
  await auth.signUp(other);
  await auth.signOut();
  await page.goto("/login");
  await auth.submitSignIn(other);
  await auth.expectSignedInAs(other.email);
});

test("the forms say what is wrong with each field", async ({ auth, page }) => {
  await page.goto("/signup");
  await auth.submitSignUp({ email: "not-an-email", password: "x" });
  await expect(auth.emailInput()).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Enter a valid email address, like name@example.com.")).toBeVisible();

  await auth.submitSignUp({ email: newCredentials().email, password: "password123" });
  await expect(auth.passwordInput()).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText(/That password is too easy to guess\./)).toBeVisible();

  const taken = newCredentials("taken");
  await auth.signUp(taken);
  await auth.signOut();
  await page.goto("/signup");
  await auth.submitSignUp(taken);
  await expect(page.getByText("An account with that email already exists.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in to that account instead" })).toBeVisible();
});
