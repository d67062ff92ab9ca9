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
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const back = page.waitForURL((url) => url.href.startsWith(forumUrl), { timeout: 20_000 });
  // A PDS that remembers the member's consent to this client sends them straight back.
  const consent = page.getByRole("button", { name: "Authorize" });
  await Promise.race([back, consent.waitFor({ timeout: 20_000 }).then(() => consent.click())]);
  await back;
}
