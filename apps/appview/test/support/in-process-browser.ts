// A browser context whose requests to the forum are answered by the app
// itself, in this process: no port, no server to start or stop. The browser
// is still a real one (Debian's chromium): it parses, applies the CSP, runs
// the pages' scripts, and reports what they do.
import type { Browser, BrowserContext } from "playwright-core";

interface App {
  request(url: string, init: RequestInit): Response | Promise<Response>;
}

export async function inProcessContext(
  browser: Browser,
  app: App,
  origin: string,
  options: Parameters<Browser["newContext"]>[0] = {},
): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.route(`${origin}/**`, async (route) => {
    const request = route.request();
    const body = request.postData();
    const response = await app.request(request.url(), {
      method: request.method(),
      headers: await request.allHeaders(),
      ...(body ? { body } : {}),
    });
    await route.fulfill({
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: Buffer.from(await response.arrayBuffer()),
    });
  });
  return context;
}
