/**
 * Several organizations per user (issue 18): the demo admin is also made admin of a second, empty org; the
 * sidebar's switcher moves the session there (the new org's landing page shows its starter checklist and only
 * its teams) and back; a session update naming an org the user is not in leaves the session where it was.
 * The second org is deleted afterwards.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { PERSONA, signIn } from "./helpers";

const SLUG = "second-org-e2e";
const OUTSIDE = "outside-org-e2e";
const db = () => new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });

test.beforeAll(async () => {
  const c = db();
  await c.connect();
  await c.query(`INSERT INTO "Organization" (id, name, slug) VALUES ('org_second_e2e', 'Second Org (e2e)', $1), ('org_outside_e2e', 'Outside Org (e2e)', $2)`, [SLUG, OUTSIDE]);
  await c.query(`INSERT INTO "Team" (id, "organizationId", name) VALUES ('team_orbit_e2e', 'org_second_e2e', 'Orbit')`);
  await c.query(`INSERT INTO "Membership" (id, "organizationId", "userId", role) SELECT 'm_second_e2e', 'org_second_e2e', id, 'ADMIN' FROM "User" WHERE email = $1`, [PERSONA.admin]);
  await c.end();
});
test.afterAll(async () => {
  const c = db();
  await c.connect();
  await c.query(`DELETE FROM "Organization" WHERE slug IN ($1, $2)`, [SLUG, OUTSIDE]);
  await c.end();
});

test("a member of two orgs switches in the sidebar, sees only the selected org's data, and cannot switch to an org they are not in", async ({ page }) => {
  await signIn(page, PERSONA.admin);
  const switcher = page.getByLabel("Organization", { exact: true });
  await expect(switcher.locator("option")).toHaveText(["Demo organization (Acme AI)", "Second Org (e2e)"]);
  const axe = await new AxeBuilder({ page }).include("aside").withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
  await switcher.selectOption({ label: "Second Org (e2e)" });
  await page.getByRole("button", { name: "Switch", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Second Org (e2e)" })).toBeVisible();
  // a new org: its checklist, ticked from its data (one team, nothing else yet)
  const checklist = page.getByTestId("starter-checklist");
  await expect(checklist.getByRole("heading")).toHaveText("Getting started: 1 of 4 done");
  await expect(checklist.getByRole("listitem")).toHaveText([/teams.*— done \(1 team\)/, /catalog.*— to do \(0 models\)/, /usage export.*— to do/, /market quotes.*— to do/]);
  await page.goto("/admin/teams");
  await expect(page.getByText("Orbit", { exact: true }).first()).toBeVisible();
  await expect(page.getByText("Customer Support")).toHaveCount(0);
  const teams = await (await page.request.get("/api/v1/teams")).json();
  expect(teams.map((t: { name: string }) => t.name)).toEqual(["Orbit"]);

  // a session update naming an org the user is not a member of changes nothing
  const csrf = (await (await page.request.get("/api/auth/csrf")).json()).csrfToken;
  const r = await page.request.post("/api/auth/session", { data: { csrfToken: csrf, data: { orgId: "org_outside_e2e" } } });
  expect((await r.json()).orgId).toBe("org_second_e2e");
  expect((await (await page.request.get("/api/v1/teams")).json()).map((t: { name: string }) => t.name)).toEqual(["Orbit"]);

  await page.getByLabel("Organization", { exact: true }).selectOption({ label: "Demo organization (Acme AI)" });
  await page.getByRole("button", { name: "Switch", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Demo organization (Acme AI)" })).toBeVisible();
  await expect(page.getByTestId("starter-checklist")).toHaveCount(0);
});

test("sign-up is closed unless the operator sets SIGNUP=open", async ({ page }) => {
  const res = await page.goto("/sign-up");
  expect(res?.status()).toBe(404);
});
