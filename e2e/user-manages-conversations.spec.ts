// A signed-in user manages conversations from the history's menus (one per conversation, in the
// sidebar on desktop and in the drawer on phones): renames one (the list shows the new title;
// Esc and Cancel change nothing; a blank title is refused), exports one as Markdown (the download
// holds every message, in order) and deletes two after a confirm step (gone from the list, the
// API answers 404; deleting the open one leaves its page). The menu works from the keyboard and
// the open menu and dialogs pass axe, in light and dark mode. With MANAGE_SHOTS_DIR set, each
// state is also saved as a PNG there for a person to look at.

import { mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { type ConversationDetail, listPersonas } from "./support/api-client";
import { expect, test } from "./support/auth-fixtures";
import { newCredentials } from "./support/auth-pages";
import { expectNoSeriousViolations } from "./support/axe";

const SHOTS_DIR = process.env.MANAGE_SHOTS_DIR;

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS_DIR) return;
  mkdirSync(SHOTS_DIR, { recursive: true });
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    // Colors change with a transition: let it end, or the picture shows half of each scheme.
    await page.evaluate(() =>
      Promise.all(
        document
          .getAnimations()
          .filter((a) => a instanceof CSSTransition)
          .map((a) => a.finished.catch(() => {})),
      ),
    );
    await page.screenshot({ path: path.join(SHOTS_DIR, `${name}-${colorScheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: null });
}

/** Starts a conversation with the named persona through the API (the page's cookies). */
async function startWith(page: Page, name: string): Promise<string> {
  const persona = (await listPersonas(page.request)).find((p) => p.name === name);
  const response = await page.request.post("/api/conversations", {
    data: { personaId: persona?.id },
  });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { conversation: { id: string } }).conversation.id;
}

async function post(page: Page, conversationId: string, content: string): Promise<void> {
  const response = await page.request.post(`/api/conversations/${conversationId}/messages`, {
    data: { content },
    headers: { accept: "application/json" },
  });
  expect(response.status(), await response.text()).toBe(200);
}

/** Every message of the conversation, oldest first, paging through the API. */
async function allMessages(page: Page, id: string): Promise<ConversationDetail["messages"]> {
  const pages: ConversationDetail["messages"][] = [];
  let before: string | null = null;
  do {
    const query: string = before ? `?before=${before}` : "";
    const response = await page.request.get(`/api/conversations/${id}${query}`);
    expect(response.status()).toBe(200);
    const detail = (await response.json()) as ConversationDetail;
    pages.unshift(detail.messages);
    before = detail.hasMore ? detail.nextBefore : null;
  } while (before);
  return pages.flat();
}

/** The list item of a conversation within `list` (the sidebar, the drawer). */
function item(list: Locator, id: string): Locator {
  return list.locator("li").filter({ has: list.page().locator(`a[href="/c/${id}"]`) });
}

function menuButton(list: Locator, id: string): Locator {
  return item(list, id).getByRole("button", { name: "Conversation options" });
}

const menu = (page: Page) => page.getByRole("menu");

test.describe("on a desktop", () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test("rename, export and delete from the history sidebar's menus", async ({
    guest,
    auth,
    page,
  }) => {
    // About 60 messages are written first, on a machine that may be busy.
    test.setTimeout(300_000);
    await auth.signUp(newCredentials("manage"));
    const other = await startWith(page, "Captain Nova");
    await post(page, other, "Where are we headed, captain?");

    await guest.openGallery();
    const id = await guest.startChattingWith("Socrates");
    const sent = [
      "What is the good life?",
      "Can virtue be taught to anyone?",
      "Is an unexamined life worth living?",
    ];
    for (const text of sent) await guest.sendAndWaitForReply(text);
    // A longer conversation than one page of the API: the export must hold all of it.
    for (let i = 1; i <= 26; i++) await post(page, id, `Follow-up question number ${i}, Socrates`);
    await page.reload();

    const sidebar = page.getByTestId("history-sidebar");
    await expect(item(sidebar, id)).toContainText("Socrates");
    const button = menuButton(sidebar, id);
    await expect(button).toHaveAttribute("aria-haspopup", "menu");
    await expect(button).toHaveAttribute("aria-expanded", "false");

    // --- the menu from the keyboard ----------------------------------------------------------
    // aria-disabled until the page has hydrated (a key pressed before then would be lost).
    await expect(button).toBeEnabled();
    await button.focus();
    await page.keyboard.press("Enter");
    await expect(menu(page)).toBeVisible();
    await expect(button).toHaveAttribute("aria-expanded", "true");
    await expect(page.getByRole("menuitem", { name: "Rename" })).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await expect(page.getByRole("menuitem", { name: "Export as Markdown" })).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await expect(page.getByRole("menuitem", { name: "Delete" })).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await expect(page.getByRole("menuitem", { name: "Rename" })).toBeFocused();
    await page.keyboard.press("ArrowUp");
    await expect(page.getByRole("menuitem", { name: "Delete" })).toBeFocused();
    await expectNoSeriousViolations(page, "the open conversation menu");
    await shot(page, "menu-desktop");
    await page.keyboard.press("Escape");
    await expect(menu(page)).toBeHidden();
    await expect(button).toBeFocused();
    await expect(button).toHaveAttribute("aria-expanded", "false");
    // Space opens it too; a click elsewhere closes it.
    await page.keyboard.press(" ");
    await expect(menu(page)).toBeVisible();
    await page.mouse.click(900, 400);
    await expect(menu(page)).toBeHidden();

    // --- rename ------------------------------------------------------------------------------
    const renameDialog = page.getByRole("dialog", { name: "Rename conversation" });
    const titleInput = renameDialog.getByRole("textbox", { name: "Title" });
    await button.click();
    await page.getByRole("menuitem", { name: "Rename" }).click();
    await expect(renameDialog).toBeVisible();
    await expect(titleInput).toBeFocused();
    // Esc changes nothing, and focus goes back to the menu button.
    await titleInput.fill("Never saved");
    await page.keyboard.press("Escape");
    await expect(renameDialog).toBeHidden();
    await expect(button).toBeFocused();
    await expect(item(sidebar, id)).not.toContainText("Never saved");

    await button.click();
    await page.getByRole("menuitem", { name: "Rename" }).click();
    await expect(titleInput).not.toHaveValue("Never saved");
    await titleInput.fill("   ");
    await titleInput.press("Enter");
    await expect(renameDialog.getByRole("alert")).toHaveText(
      "A title must be 1 to 100 characters long.",
    );
    await expect(titleInput).toHaveAttribute("aria-invalid", "true");
    await expectNoSeriousViolations(page, "the rename dialog with an error");
    await shot(page, "rename-error-desktop");
    await titleInput.fill("Plato's cave, revisited");
    await titleInput.press("Enter");
    await expect(renameDialog).toBeHidden();
    await expect(item(sidebar, id).getByTestId("conversation-title")).toHaveText(
      "Plato's cave, revisited",
    );
    await expect(item(sidebar, id)).toContainText("Socrates");
    await expect(button).toBeFocused();
    const renamed = await page.request.get(`/api/conversations/${id}`);
    expect((await renamed.json()).conversation.title).toBe("Plato's cave, revisited");
    await shot(page, "renamed-desktop");

    // --- export ------------------------------------------------------------------------------
    await button.click();
    const downloading = page.waitForEvent("download");
    await page.getByRole("menuitem", { name: "Export as Markdown" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^platos-cave-revisited-\d{4}-\d{2}-\d{2}\.md$/);
    const file = await download.path();
    const markdown = await readFile(file, "utf8");
    const messages = await allMessages(page, id);
    expect(messages.length).toBe(2 * (sent.length + 26));
    expect(markdown.startsWith("# Plato's cave, revisited\n")).toBe(true);
    expect(markdown).toContain("- Persona: Socrates\n");
    expect(markdown).toContain(`- Messages: ${messages.length}\n`);
    // Each message's text, after the one before it.
    let at = 0;
    for (const message of messages) {
      const text = message.content.trim();
      const found = markdown.indexOf(text, at);
      expect(found, `message ${message.id} (${message.role}) in order`).toBeGreaterThanOrEqual(at);
      at = found + text.length;
    }
    expect(markdown.match(/^## You · /gm)).toHaveLength(sent.length + 26);
    expect(markdown.match(/^## Socrates · /gm)).toHaveLength(sent.length + 26);
    // A plain link: the page stays where it was.
    await expect(page).toHaveURL(new RegExp(`/c/${id}$`));

    // --- delete another conversation: it leaves the list, this page stays --------------------
    const deleteDialog = page.getByRole("dialog", { name: "Delete this conversation?" });
    await menuButton(sidebar, other).click();
    await page.getByRole("menuitem", { name: "Delete" }).click();
    await expect(deleteDialog).toBeVisible();
    await expect(deleteDialog).toContainText("Its messages and audio are deleted for good.");
    await expect(deleteDialog.getByRole("button", { name: "Cancel" })).toBeFocused();
    await expectNoSeriousViolations(page, "the delete dialog");
    await shot(page, "delete-desktop");
    await deleteDialog.getByRole("button", { name: "Cancel" }).click();
    await expect(deleteDialog).toBeHidden();
    await expect(menuButton(sidebar, other)).toBeFocused();
    expect((await page.request.get(`/api/conversations/${other}`)).status()).toBe(200);

    await menuButton(sidebar, other).click();
    await page.getByRole("menuitem", { name: "Delete" }).click();
    await deleteDialog.getByRole("button", { name: "Delete", exact: true }).click();
    await expect(deleteDialog).toBeHidden();
    await expect(item(sidebar, other)).toHaveCount(0);
    await expect(page).toHaveURL(new RegExp(`/c/${id}$`));
    expect((await page.request.get(`/api/conversations/${other}`)).status()).toBe(404);
    await page.goto("/history");
    await expect(item(page.getByTestId("conversation-list"), id)).toBeVisible();
    await shot(page, "history-desktop");
    await page.goto(`/c/${id}`);

    // --- delete the open one: the page goes home ---------------------------------------------
    await menuButton(sidebar, id).click();
    await page.getByRole("menuitem", { name: "Delete" }).click();
    await deleteDialog.getByRole("button", { name: "Delete", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/");
    const gone = await page.request.get(`/api/conversations/${id}`);
    expect(gone.status()).toBe(404);
    expect((await gone.json()).error.code).toBe("not_found");
    await expect(page.getByTestId("recent-conversations")).toContainText(
      "Your conversations will appear here.",
    );
    expect((await page.goto(`/c/${id}`))?.status()).toBe(404);
  });
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("the drawer's menus: Esc closes only the menu, and renaming works there", async ({
    auth,
    page,
  }) => {
    test.setTimeout(120_000);
    await auth.signUp(newCredentials("manage-phone"));
    const id = await startWith(page, "Master Kai");
    await post(page, id, "How do I begin to meditate when my mind is noisy?");
    const second = await startWith(page, "Chef Rémy");
    await post(page, second, "How do I make a simple omelette?");

    await page.goto(`/c/${second}`);
    await shot(page, "chat-phone");
    await page.getByTestId("open-history").click();
    const drawer = page.getByTestId("history-drawer");
    await expect(drawer).toBeVisible();
    const button = menuButton(drawer, id);
    await button.click();
    await expect(menu(page)).toBeVisible();
    await expect(page.getByRole("menuitem", { name: "Rename" })).toBeFocused();
    await expectNoSeriousViolations(page, "the open menu in the drawer");
    await shot(page, "menu-phone");
    await page.keyboard.press("Escape");
    await expect(menu(page)).toBeHidden();
    await expect(drawer).toBeVisible();
    await expect(button).toBeFocused();

    await button.click();
    await page.getByRole("menuitem", { name: "Rename" }).click();
    const renameDialog = page.getByRole("dialog", { name: "Rename conversation" });
    await expect(renameDialog).toBeVisible();
    await shot(page, "rename-phone");
    await renameDialog.getByRole("textbox", { name: "Title" }).fill("Quiet mind");
    await renameDialog.getByRole("button", { name: "Save" }).click();
    await expect(renameDialog).toBeHidden();
    await expect(drawer).toBeVisible();
    await expect(item(drawer, id).getByTestId("conversation-title")).toHaveText("Quiet mind");
    await shot(page, "renamed-phone");

    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, "the page is wider than the screen").toBeLessThanOrEqual(0);
  });
});
