import { mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { freshDatabase } from "./database.ts";
import { type Praxis, startPraxisAt } from "./process.ts";

/** Screens saved for people to look at; not committed. */
export const screenshotDir = "test-artifacts/screenshots";

export interface BrowserInstance {
  origin: string;
  browser: Browser;
  praxis: Praxis;
  close(): Promise<void>;
}

/**
 * A real Praxis process on its own database, and Debian's Chromium to drive it (never downloaded).
 * `env` adds to the server's environment, e.g. ALLOW_PRIVATE_ADDRESSES to reach a peer.
 */
export async function startBrowserInstance(
  address: string,
  env: Record<string, string> = {},
): Promise<BrowserInstance> {
  const database = await freshDatabase();
  const { origin, praxis } = await startPraxisAt(address, {
    DATABASE_URL: database.url,
    DATA_DIR: await mkdtemp(join(tmpdir(), "praxis-browser-")),
    LOG_LEVEL: "error",
    ...env,
  });
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  await mkdir(screenshotDir, { recursive: true });
  return {
    origin,
    browser,
    praxis,
    async close() {
      await browser.close();
      if (praxis.running() && praxis.child.pid) process.kill(-praxis.child.pid, "SIGTERM");
      await praxis.exited;
      await database.close();
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Fills and sends the registration form, as a newcomer would. */
export async function register(page: Page, origin: string, username: string): Promise<void> {
  await page.goto(`${origin}/register`);
  await page.locator("#username").fill(username);
  await page.locator("#displayName").fill(username[0]?.toUpperCase() + username.slice(1));
  await page.locator("#email").fill(`${username}@example.org`);
  await page.locator("#new-password").fill("a long enough password");
  await page.locator("#profession").fill("Social protection officer");
  await page.locator("#organisation").fill("Ministry of Labour");
  await page.locator("#country").fill("Senegal");
  await page.locator("main form button[type=submit]").click();
  await page.locator("header.site button.link").waitFor();
}
