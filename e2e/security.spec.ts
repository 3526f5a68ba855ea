import { expect, test } from "@playwright/test";
import { encode } from "next-auth/jwt";
import { PERSONA, signIn } from "./helpers";

const RETIRED_DEMO_SECRET = "tokenhedge-demo-secret-not-for-production";

test("a session cookie forged with the secret earlier versions shipped is refused", async ({ request, baseURL }) => {
  const admin = await request.get("/api/health");
  expect(admin.ok()).toBeTruthy();
  // claims are irrelevant: the signature cannot verify, whatever ids it names
  const forged = await encode({ secret: RETIRED_DEMO_SECRET, token: { uid: "any", orgId: "any", sv: 0 } });
  const r = await request.get("/api/v1/teams", { headers: { cookie: `next-auth.session-token=${forged}` } });
  expect(r.status()).toBe(401);
  expect(baseURL).toBeTruthy();
});

test("a cookie kept after sign-out no longer works", async ({ page, request }) => {
  await signIn(page, PERSONA.cfo);
  const cookie = (await page.context().cookies()).find((c) => c.name === "next-auth.session-token");
  expect(cookie).toBeTruthy();
  const header = { cookie: `next-auth.session-token=${cookie!.value}` };
  expect((await request.get("/api/v1/teams", { headers: header })).status()).toBe(200);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  expect((await request.get("/api/v1/teams", { headers: header })).status()).toBe(401);
});

test("rotating X-Forwarded-For does not get around sign-in throttling", async ({ page }) => {
  await page.goto("/sign-in");
  const email = "nobody-xff@demo.tokenhedge.test";
  for (let i = 0; i < 11; i++) {
    await page.setExtraHTTPHeaders({ "x-forwarded-for": `198.51.100.${i + 1}` });
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(`guess-${i}`);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    const expected = i < 10 ? "Email or password is incorrect." : /Too many failed sign-in attempts/;
    await expect(page.getByRole("alert").filter({ hasText: /incorrect|Too many/ })).toHaveText(expected);
  }
});

test("pages and API answers carry the security headers", async ({ request }) => {
  for (const path of ["/sign-in", "/api/health"]) {
    const r = await request.get(path);
    const h = r.headers();
    expect(h["x-frame-options"], path).toBe("DENY");
    expect(h["x-content-type-options"], path).toBe("nosniff");
    expect(h["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(h["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
  }
});

test("a cross-site form post with the session cookie cannot change data", async ({ page, request }) => {
  await signIn(page, PERSONA.admin);
  const cookie = (await page.context().cookies()).find((c) => c.name === "next-auth.session-token")!;
  const r = await request.post("/api/v1/teams", { headers: { cookie: `next-auth.session-token=${cookie.value}`, origin: "https://evil.example", "content-type": "text/plain" }, data: JSON.stringify({ name: "Evil team" }) });
  expect([403, 415]).toContain(r.status());
});

test("an unknown or foreign id in a page URL is a 404 page", async ({ page }) => {
  await signIn(page, PERSONA.cfo);
  const r = await page.goto("/forecasts?team=not-a-team-of-this-org");
  expect(r?.status()).toBe(404);
  const c = await page.goto("/contracts/not-a-contract");
  expect(c?.status()).toBe(404);
});

test("pages allow only their own nonced scripts: every script carries the response's fresh nonce, injected handlers do not run", async ({ page, request }) => {
  const nonces: string[] = [];
  for (let i = 0; i < 2; i++) {
    const r = await request.get("/sign-in", { headers: { "content-security-policy": "script-src 'nonce-chosenbyclient'" } });
    const csp = r.headers()["content-security-policy"];
    const script = csp.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src"))!;
    expect(script).not.toContain("unsafe-inline");
    const nonce = /'nonce-([^']+)'/.exec(script)![1];
    expect(nonce).not.toBe("chosenbyclient");
    nonces.push(nonce);
    const html = await r.text();
    const tags = html.match(/<script\b[^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) expect(tag, tag).toContain(`nonce="${nonce}"`);
  }
  expect(nonces[0]).not.toBe(nonces[1]);

  const violations: string[] = [];
  page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  await signIn(page, PERSONA.cfo);
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // the page hydrated (client navigation works) under the policy, with no refused scripts
  await page.getByRole("link", { name: "Contracts", exact: true }).first().click();
  await expect(page).toHaveURL(/\/contracts/);
  expect(violations).toEqual([]);
  // markup injected into the page cannot run an inline handler
  await page.evaluate(() => document.body.insertAdjacentHTML("beforeend", `<img alt="" src="/nonexistent.png" onerror="window.__pwned = 1">`));
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});
