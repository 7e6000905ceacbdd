import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's Chromium, driven headless as the other browser suites do. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const PASSWORD = "correct horse 42";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

function pad(n: number) {
  return String(n).padStart(2, "0");
}
/** The value a `datetime-local` input takes, in the browser's (= this process's) time zone. */
export function localInput(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export async function signUp(page: Page, url: string, email: string): Promise<void> {
  await page.goto(url);
  await page.getByRole("button", { name: "Create an account" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.getByTestId("live-status").filter({ hasText: "Live" }).waitFor();
}

/** The signed-in page's bearer token, for calling the API as that user from the test. */
export async function tokenOf(page: Page): Promise<string> {
  return page.evaluate(() => (JSON.parse(localStorage.getItem("todo.session") ?? "{}") as { token: string }).token);
}

/**
 * Installed before the page's scripts: records every WebSocket the page opens and lets the test
 * rewrite the URL of the next ones (to hold them off, or to forge the id they resume from).
 */
export function socketControlScript(): void {
  const w = window as unknown as { __sockets: WebSocket[]; __wsRewrite?: (url: string) => string };
  const Native = window.WebSocket;
  w.__sockets = [];
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(w.__wsRewrite ? w.__wsRewrite(String(url)) : url, protocols);
      w.__sockets.push(this);
    }
  };
}

/** `npm run screenshots` sets SCREENSHOTS_DIR (docs/screenshots); a plain test run takes none here. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS_DIR) await page.screenshot({ path: join(process.env.SCREENSHOTS_DIR, name) });
}
