// A user who forgot their password, on the built-in sign-in (no mail server): "Forgot your
// password?" explains that the operator resets it with `npm run user:reset-password`; email links
// (/auth/confirm) are answered with a sentence, not an error page. The operator's command refuses
// to touch the embedded database while this app holds it, and says to stop the app first.

import { spawnSync } from "node:child_process";
import { expect, test } from "./support/auth-fixtures";

test("forgot password on the built-in sign-in points to the operator", async ({ auth, page }) => {
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.waitForURL(/\/forgot-password$/);
  await expect(page.getByRole("heading", { level: 1, name: "Reset your password" })).toBeVisible();
  const explanation = page.getByTestId("operator-reset");
  await expect(explanation).toContainText("This site sends no email");
  await expect(explanation).toContainText("npm run user:reset-password -- your@email");
  await explanation.getByRole("link", { name: "Sign in" }).click();
  await page.waitForURL(/\/login$/);

  // Without a recovery link's session, /reset-password offers the way to one.
  await page.goto("/reset-password");
  await expect(page.getByTestId("reset-needs-link")).toContainText("operator resets passwords");

  // An email link (as Supabase would send) lands on a sentence, whatever it holds.
  const confirm = await page.goto("/auth/confirm?token_hash=abc123&type=signup&next=/history");
  expect(confirm?.status()).toBe(200);
  await page.waitForURL(/\/login\?link=unavailable$/);
  await expect(auth.formAlert()).toHaveText(
    "This site sends no email links: sign in with your email and password.",
  );
  await page.goto("/auth/confirm?type=recovery");
  await page.waitForURL(/\/forgot-password\?link=expired$/);
  await expect(page.getByTestId("operator-reset")).toBeVisible();
});

test("the operator's reset command refuses while the app holds the database", () => {
  const dataDir = process.env.E2E_DATA_DIR ?? ".data/e2e";
  const run = spawnSync(
    "npx",
    ["tsx", "--conditions=react-server", "scripts/user-reset-password.ts", "someone@example.com"],
    {
      env: {
        ...process.env,
        PGLITE_DIR: `${dataDir}/pglite`,
        DATABASE_URL: "",
        NEXT_PUBLIC_SUPABASE_URL: "",
        NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: "",
        NEXT_PUBLIC_SUPABASE_ANON_KEY: "",
        SUPABASE_SECRET_KEY: "",
        SUPABASE_SERVICE_ROLE_KEY: "",
      },
      input: "",
      encoding: "utf8",
      timeout: 60_000,
    },
  );
  expect(run.status).toBe(1);
  expect(run.stdout).toBe("");
  expect(run.stderr).toContain("is in use by another process");
  expect(run.stderr).toContain("locked while the app runs: stop the app");
});
