import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { PERSONA, signIn } from "./helpers";

/**
 * The web server's page cache (lib/web/page-cache.ts): read pages are kept per session and served again until the
 * org's data, the day or the session changes. These check what must never go wrong with it.
 */
async function sessionCookie(page: Page) {
  const c = (await page.context().cookies()).find((x) => x.name === "next-auth.session-token");
  expect(c).toBeTruthy();
  return `next-auth.session-token=${c!.value}`;
}

async function load(request: APIRequestContext, path: string, cookie: string) {
  const r = await request.get(path, { headers: { cookie }, maxRedirects: 0 });
  const csp = r.headers()["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  return { status: r.status(), cache: r.headers()["x-page-cache"], location: r.headers()["location"], nonce, html: r.status() === 200 ? await r.text() : "" };
}

/** Refused as without the cache: a redirect (or Next's streamed redirect), never the stored dashboard. */
function expectNoDashboard(r: Awaited<ReturnType<typeof load>>) {
  expect(r.cache).not.toBe("hit");
  if (r.status === 200) expect(r.html).not.toContain('id="coverage-h"');
  else expect(r.status).toBe(307);
}

test("a reloaded page comes from the cache with its own fresh nonce, and a data change shows at once", async ({ page, request }) => {
  await signIn(page, PERSONA.cfo);
  const cookie = await sessionCookie(page);
  // the report's own month (the last whole one), so the commentary saved below is the one this page shows
  const month = /Commentary for (?:<!-- -->)?(\d{4}-\d{2})/.exec((await load(request, "/reports/monthly", cookie)).html)?.[1];
  expect(month).toBeTruthy();
  const path = `/reports/monthly?month=${month}`;

  const first = await load(request, path, cookie);
  const again = await load(request, path, cookie);
  expect(first.status).toBe(200);
  expect(again.status).toBe(200);
  expect(again.cache).toBe("hit");
  // each response's scripts carry that response's nonce, never the stored one
  expect(again.nonce).toBeTruthy();
  expect(again.nonce).not.toBe(first.nonce);
  const tags = again.html.match(/<script\b[^>]*>/g) ?? [];
  expect(tags.length).toBeGreaterThan(0);
  for (const tag of tags) expect(tag, tag).toContain(`nonce="${again.nonce}"`);
  expect(again.html).not.toContain(first.nonce!);

  // an audited change (the CFO's commentary) is on the next load, not the stored page
  const text = `Cache check ${Date.now()}`;
  const saved = await request.put("/api/v1/reports/monthly", { headers: { cookie, "content-type": "application/json", origin: new URL(page.url()).origin }, data: { month, text } });
  expect(saved.status()).toBe(200);
  const after = await load(request, path, cookie);
  expect(after.status).toBe(200);
  expect(after.cache).toBe("miss");
  expect(after.html).toContain(text);
  // and the browser shows it too
  await page.goto(path);
  await expect(page.getByLabel(`Commentary for ${month}`)).toHaveValue(text);
});

test("a stored page is never served to another session, another role or after sign-out", async ({ browser, request }) => {
  const cfoPage = await (await browser.newContext()).newPage();
  await signIn(cfoPage, PERSONA.cfo);
  const cfo = await sessionCookie(cfoPage);
  expect((await load(request, "/dashboard", cfo)).status).toBe(200);
  expect((await load(request, "/dashboard", cfo)).cache).toBe("hit");

  // procurement may not see the CFO's dashboard: refused as without the cache
  const procPage = await (await browser.newContext()).newPage();
  await signIn(procPage, PERSONA.procurement);
  const proc = await sessionCookie(procPage);
  expectNoDashboard(await load(request, "/dashboard", proc));
  await procPage.goto("/dashboard");
  await expect(procPage).toHaveURL(/\/forbidden/);

  // a second session of the same CFO gets its own render, not the first session's copy
  const cfo2Page = await (await browser.newContext()).newPage();
  await signIn(cfo2Page, PERSONA.cfo);
  const cfo2 = await sessionCookie(cfo2Page);
  expect((await load(request, "/dashboard", cfo2)).cache).toBe("miss");

  // signing out revokes every session of the user (session version): the stored pages go with them
  await cfoPage.getByRole("button", { name: "Sign out" }).click();
  await expect(cfoPage).toHaveURL(/\/sign-in/);
  for (const c of [cfo, cfo2]) {
    expectNoDashboard(await load(request, "/dashboard", c));
  }
});
