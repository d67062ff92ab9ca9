// A real browser for the login tests: Debian's chromium (`apt-get install
// chromium`, done by .ci/run), driven by playwright-core, which never
// downloads a browser of its own. CHROMIUM_PATH points elsewhere if needed.
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath))
    throw new Error(
      `No browser at ${chromiumPath}: install Debian's chromium (apt-get install -y chromium), or set CHROMIUM_PATH.`,
    );
  // No sandbox: the tests run as root in CI containers, where chromium's sandbox cannot start.
  return chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
}

/**
 * The whole login as a member goes through it: the forum's handle form, the
 * PDS's sign-in page (the handle is filled in from the login hint), its
 * consent page, and back to the forum. Resolves once the browser is back.
 */
export async function logInThroughBrowser(
  page: Page,
  forumUrl: string,
  handle: string,
  password: string,
): Promise<void> {
  // The handle form as the forum's pages have it: a GET form to the login route.
  await page.goto(`${forumUrl}/api/health/live`);
  await page.setContent(
    `<form method="get" action="${forumUrl}/api/auth/login"><label>Handle <input name="handle"></label><button>Log in</button></form>`,
  );
  await page.getByLabel("Handle").fill(handle);
  await page.getByRole("button", { name: "Log in" }).click();
  await signInAtPds(page, forumUrl, password);
}

/** The same login through the forum's own pages: its "Log in" link and handle form. */
export async function logInThroughPages(page: Page, forumUrl: string, handle: string, password: string): Promise<void> {
  await page.goto(`${forumUrl}/`);
  await page.getByRole("link", { name: "Log in" }).click();
  await page.getByLabel("Handle").fill(handle);
  await page.getByRole("button", { name: "Log in" }).click();
  await signInAtPds(page, forumUrl, password);
}

/** The PDS's sign-in and consent pages (they need JavaScript: they are the PDS's, not the forum's). */
async function signInAtPds(page: Page, forumUrl: string, password: string): Promise<void> {
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const back = page.waitForURL((url) => url.href.startsWith(forumUrl), { timeout: 20_000 });
  // A PDS that remembers the member's consent to this client sends them straight back.
  const consent = page.getByRole("button", { name: "Authorize" });
  await Promise.race([back, consent.waitFor({ timeout: 20_000 }).then(() => consent.click())]);
  await back;
}

/** What the page said on its console as errors, and what it threw: a page of the forum must say nothing. */
export function pageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`error: ${error.message}`));
  return problems;
}
