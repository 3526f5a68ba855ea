/**
 * Single sign-on end to end (issue 18): a real OpenID Provider (oidc-provider, tests/oidc-op.ts) runs in the
 * test process on a loopback port with a client registered for the app's callback and two accounts — one in
 * the allowed e-mail domain, one outside it. The demo admin sets SSO up on the organization page; the user
 * signs in on the provider's own login form; the wrong-domain user is refused; "SSO required" ends password
 * sign-in. The settings are removed afterwards so other specs see the demo org as before.
 */
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { startOp } from "../tests/oidc-op";
import { DEMO_PASSWORD, PERSONA, signIn } from "./helpers";

// next-auth builds the callback from NEXTAUTH_URL (scripts/start.ts: http://localhost:<port>); the flow runs
// on that origin so the state, PKCE and nonce cookies set at its start come back with the callback
const APP = `http://localhost:${process.env.E2E_PORT ?? 3100}`;
const DOMAIN = "sso-e2e.test";
const CLIENT_SECRET = "e2e-client-secret-0123456789abcdef";
let op: Awaited<ReturnType<typeof startOp>>;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  op = await startOp({
    clientId: "tokenhedge-e2e",
    clientSecret: CLIENT_SECRET,
    redirectUris: [`${APP}/api/auth/callback/oidc-demo`],
    accounts: {
      alice: { sub: "alice-e2e", email: `alice@${DOMAIN}`, name: "Alice Single-Sign-On" },
      mallory: { sub: "mallory-e2e", email: "mallory@elsewhere.test", name: "Mallory Elsewhere" },
    },
  });
});

test.afterAll(async () => {
  const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await db.connect();
  await db.query(`DELETE FROM "OrgSsoConfig" WHERE "organizationId" = (SELECT id FROM "Organization" WHERE slug = 'demo')`);
  await db.end();
  await op?.close();
});

async function ssoSignIn(page: Page, email: string, login: string) {
  await page.goto(`${APP}/sign-in`);
  await page.getByLabel("Work e-mail or organization ID").fill(email);
  await page.getByRole("button", { name: "Use single sign-on" }).click();
  // the provider's dev login form, then its consent form
  await page.waitForURL(new RegExp(`^${op.url}/interaction/`));
  await page.locator("input[name=login]").fill(login);
  await page.locator("input[name=password]").fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

test("the admin sets up single sign-on on the organization page", async ({ page }) => {
  await signIn(page, PERSONA.admin);
  await page.goto("/admin/org");
  const form = page.getByRole("form", { name: "Single sign-on settings" });
  await expect(page.getByTestId("sso-callback-url")).toHaveText(`${APP}/api/auth/callback/oidc-demo`);
  // a wrong issuer is refused beside its field
  await form.getByLabel("Issuer URL").fill(`${op.url}/not-the-issuer`);
  await form.getByLabel("Client ID").fill("tokenhedge-e2e");
  await form.getByLabel(/Client secret/).fill(CLIENT_SECRET);
  await form.getByLabel(/Allowed e-mail domains/).fill(DOMAIN);
  await form.getByLabel(/Role of people who join/).selectOption("CFO");
  await form.getByRole("button", { name: "Save single sign-on" }).click();
  await expect(form.getByText(/could not read|names itself|answered HTTP/)).toBeVisible();
  await form.getByLabel("Issuer URL").fill(op.url);
  await form.getByRole("button", { name: "Save single sign-on" }).click();
  await expect(form.getByRole("status")).toContainText("Saved");
  await expect(page.getByText(`people with an e-mail at ${DOMAIN} sign in through ${op.url}`)).toBeVisible();
});

test("a user of an allowed domain signs in at the identity provider and joins with the default role", async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await ssoSignIn(page, `alice@${DOMAIN}`, "alice");
  // a CFO lands on the dashboard
  await page.waitForURL(`${APP}/dashboard`);
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  const who = page.locator(".whoami");
  await expect(who).toContainText("Alice Single-Sign-On");
  await expect(who).toContainText("CFO");
  await page.context().close();
});

test("a user of another domain is refused with a clear message", async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await ssoSignIn(page, `alice@${DOMAIN}`, "mallory");
  await page.waitForURL(/\/sign-in\?sso=domain/);
  await expect(page.getByTestId("sign-in-notice")).toHaveText(/not in a domain this organization accepts/);
  await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  await page.context().close();
});

test("an unknown domain is told no single sign-on is set up", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Work e-mail or organization ID").fill("someone@unknown-domain.test");
  await page.getByRole("button", { name: "Use single sign-on" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "No single sign-on" })).toContainText("No single sign-on is set up for that e-mail domain");
});

test("SSO required: password sessions end and password sign-in is refused for the org's members", async ({ page }) => {
  await signIn(page, PERSONA.admin);
  await page.goto("/admin/org");
  const form = page.getByRole("form", { name: "Single sign-on settings" });
  await form.getByLabel(/SSO required/).check();
  // saving ends the admin's own password session, so the page may leave for sign-in before "Saved" shows: the
  // answer to the save is what counts
  const saved = page.waitForResponse((r) => r.url().endsWith("/api/v1/org/sso") && r.request().method() === "PUT");
  await form.getByRole("button", { name: "Save single sign-on" }).click();
  expect((await saved).status()).toBe(200);
  // the admin's own password session ends at the next request
  await page.goto("/admin/org");
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel("Email").fill(PERSONA.cfo);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "single sign-on" })).toHaveText("Your organization requires single sign-on: use “Use single sign-on” below.");
  await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
});
