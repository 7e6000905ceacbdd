import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startLocalRuntime } from "#services/local-runtime";
import { PASSWORD as password, launchChromium, localInput, signUp } from "./browser-harness";

// The real system (local runtime: every service, the local Dapr sidecar, embedded PostgreSQL) driven
// through Debian's Chromium, as a user would: sign up, a recurring task with a reminder, live updates.
// `npm run screenshots` refreshes the committed ones in docs/; a plain test run keeps them in a temp dir.
const SCREENSHOTS = process.env.SCREENSHOTS_DIR ?? mkdtempSync(join(tmpdir(), "todo-screenshots-"));

type Runtime = Awaited<ReturnType<typeof startLocalRuntime>>;

async function signIn(page: Page, url: string, email: string) {
  await page.goto(url);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("live-status").filter({ hasText: "Live" }).waitFor();
}

describe("the web UI in Chromium against the local runtime", function () {
  this.timeout(120_000);
  let runtime: Runtime;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const userA = `a-${randomUUID().slice(0, 8)}@example.com`;
  const userB = `b-${randomUUID().slice(0, 8)}@example.com`;
  let a1: Page, a2: Page, b: Page;

  async function newPage(viewport = { width: 1280, height: 860 }) {
    const ctx = await browser.newContext({ viewport });
    contexts.push(ctx);
    return ctx.newPage();
  }

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    runtime = await startLocalRuntime({ port: 0 });
    browser = await launchChromium();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await runtime?.stop();
  });

  it("when a user signs up, then the task screen opens with live updates connected", async () => {
    a1 = await newPage();
    await a1.goto(runtime.url);
    await a1.screenshot({ path: join(SCREENSHOTS, "sign-in.png") });
    await signUp(a1, runtime.url, userA);
    a2 = await newPage();
    await signIn(a2, runtime.url, userA);
    b = await newPage();
    await signUp(b, runtime.url, userB);
  });

  it("when the API rejects input, then its message is shown to the user", async () => {
    const page = await newPage();
    await page.goto(runtime.url);
    await page.getByRole("button", { name: "Create an account" }).click();
    await page.getByLabel("Email").fill(userA);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("alert").filter({ hasText: /already|exists|registered|taken/i }).waitFor();
  });

  it("when a recurring task with a reminder is created, then the preview shows the next dates and the other tab of the same user sees it live", async () => {
    await a1.getByRole("button", { name: "New task" }).click();
    const editor = a1.getByRole("dialog");
    await editor.getByLabel("Title").fill("Water the plants");
    await editor.getByLabel("Tags").fill("home, garden");
    const due = new Date(Date.now() + 60 * 60 * 1000);
    await editor.getByLabel("Due", { exact: true }).fill(localInput(due));
    await editor.getByRole("combobox", { name: /^Reminder/ }).selectOption("custom");
    await editor.getByLabel("Reminder time").fill(localInput(new Date(Date.now() + 6_000)));
    await editor.getByLabel("Pattern").selectOption("daily");
    await editor.getByTestId("occurrences").locator("li").nth(2).waitFor();
    await a1.screenshot({ path: join(SCREENSHOTS, "task-editor.png") });
    await a1.getByRole("button", { name: "Add task" }).click();
    await a1.getByTestId("task").filter({ hasText: "Water the plants" }).waitFor();
    // no reload in the second tab: the websocket frame is applied to its list
    await a2.getByTestId("task").filter({ hasText: "Water the plants" }).waitFor({ timeout: 10_000 });
  });

  it("when the reminder time comes, then a toast appears and the notification is counted", async () => {
    await a1.getByTestId("toast-reminder").filter({ hasText: "Water the plants" }).waitFor({ timeout: 20_000 });
    await a1.getByTestId("unread-count").filter({ hasText: "1" }).waitFor({ timeout: 10_000 });
    await a1.screenshot({ path: join(SCREENSHOTS, "reminder-toast.png") });
    await a1.getByRole("button", { name: /Notifications/ }).click();
    await a1.getByTestId("notifications").locator("li").first().waitFor();
    await a1.screenshot({ path: join(SCREENSHOTS, "notifications.png") });
    await a1.getByRole("button", { name: "Close" }).click();
  });

  it("when the task is completed, then its next occurrence appears without a reload, in both tabs", async () => {
    const original = a1.getByTestId("task").filter({ hasText: "Water the plants" });
    const originalId = await original.getAttribute("data-task-id");
    await a1.getByRole("checkbox", { name: "Complete “Water the plants”" }).check();
    const next = a1.locator(`[data-testid=task]:not([data-task-id="${originalId}"])`).filter({ hasText: "Water the plants" });
    await next.waitFor({ timeout: 15_000 });
    await a2.locator(`[data-testid=task]:not([data-task-id="${originalId}"])`).filter({ hasText: "Water the plants" }).waitFor({ timeout: 15_000 });
    assert.equal(await a1.locator(`[data-task-id="${originalId}"]`).count(), 0, "the completed one leaves the pending list");
    await a1.screenshot({ path: join(SCREENSHOTS, "task-list.png") });
  });

  it("when the history of the next occurrence's predecessor is opened, then the audit trail is listed", async () => {
    await a1.getByLabel("Status").selectOption("completed");
    const done = a1.locator("[data-testid=task].completed").filter({ hasText: "Water the plants" }).first();
    await done.waitFor();
    await done.getByRole("button", { name: /History/ }).click();
    const history = a1.getByTestId("history");
    await history.locator("li").filter({ hasText: "Completed" }).waitFor({ timeout: 10_000 });
    assert.ok((await history.locator("li").filter({ hasText: "Created" }).count()) >= 1);
    await a1.screenshot({ path: join(SCREENSHOTS, "history.png") });
    await a1.getByRole("button", { name: "Close" }).click();
    await a1.getByLabel("Status").selectOption("pending");
    await a1.locator("[data-testid=task].completed").first().waitFor({ state: "detached" });
  });

  it("when another user is signed in meanwhile, then they saw none of it", async () => {
    assert.equal(await b.getByTestId("task").count(), 0);
    assert.equal(await b.getByTestId("toast-reminder").count(), 0);
    assert.equal((await b.getByTestId("unread-count").textContent())?.trim(), "0");
  });

  it("when a task is deleted and undone, then it stays; when deleted for good, then the other tab loses it live", async () => {
    const task = a1.getByTestId("task").filter({ hasText: "Water the plants" });
    await task.getByRole("button", { name: /Delete/ }).click();
    await a1.getByRole("button", { name: "Undo" }).click();
    await task.waitFor();
    await task.getByRole("button", { name: /Delete/ }).click();
    await a2.getByTestId("task").filter({ hasText: "Water the plants" }).waitFor({ state: "detached", timeout: 15_000 });
  });

  it("when used on a phone-sized screen and by keyboard, then the controls are reachable and labelled", async () => {
    const phone = await newPage({ width: 390, height: 844 });
    await signIn(phone, runtime.url, userB);
    await phone.keyboard.press("Tab");
    const focused = await phone.evaluate(() => document.activeElement?.tagName);
    assert.equal(focused, "BUTTON");
    await phone.getByRole("button", { name: "New task" }).focus();
    await phone.keyboard.press("Enter");
    await phone.getByRole("dialog").getByLabel("Title").waitFor();
    // the editor moves focus to its first field (fails by timeout otherwise)
    await phone.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === "title", undefined, { timeout: 3000 });
    await phone.screenshot({ path: join(SCREENSHOTS, "phone-editor.png") });
    await phone.keyboard.press("Escape");
    await phone.getByRole("dialog").waitFor({ state: "detached" });
    const unlabelled = await phone.evaluate(() =>
      [...document.querySelectorAll("input, select, textarea")].filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute("aria-label")).length,
    );
    assert.equal(unlabelled, 0);
  });
});
