import { readFileSync } from "node:fs";
import Decimal from "decimal.js";
import { expect, test, type Page } from "@playwright/test";
import { PERSONA, signIn } from "./helpers";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const monthKey = (d: Date) => d.toISOString().slice(0, 7);
const label = (m: string) => `${MONTHS[Number(m.slice(5, 7)) - 1]} ${m.slice(0, 4)}`;
const now = new Date();
const lastMonth = monthKey(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)));
// the demo's expired contract (general chat, financial) covers the month after the day it was booked, 62 days ago
const booked = new Date(now.getTime() - 62 * 86_400_000);
const hedgedMonth = monthKey(new Date(Date.UTC(booked.getUTCFullYear(), booked.getUTCMonth() + 1, 1)));

/** "$1,234.56" / "-$1.00" / "−$1.00" → a decimal string */
const money = (text: string | null) => new Decimal((text ?? "").replace(/[−]/g, "-").replace(/[$,+\s]/g, "")).toFixed(2);

async function download(page: Page) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  return { name: file.suggestedFilename(), lines: readFileSync((await file.path())!, "utf8").trim().split("\n") };
}

async function choosePeriod(page: Page, period: string) {
  await page.getByLabel("Period", { exact: true }).selectOption(period);
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(new RegExp(`period=${period}`));
}

test("a team lead lands on their team's chargeback statement, sees what hedging did, and exports it", async ({ page }) => {
  await signIn(page, PERSONA.lead);
  await expect(page).toHaveURL(/\/my-team$/);
  await expect(page.getByRole("heading", { name: `Customer Support: chargeback for ${label(lastMonth)}` })).toBeVisible();
  await choosePeriod(page, hedgedMonth);
  await expect(page.getByRole("heading", { name: `Customer Support: chargeback for ${label(hedgedMonth)}` })).toBeVisible();
  const totals = page.getByRole("group", { name: "Statement totals" });
  await expect(totals).toContainText("Spot benchmark");
  await expect(page.getByRole("status").filter({ hasText: /^Hedging (saved|cost) your team \$[\d,]+\.\d\d in / })).toBeVisible();
  const classes = page.getByRole("table", { name: "By model class" });
  await expect(classes.getByRole("row").filter({ hasText: "General chat" }).first()).toBeVisible();
  await expect(classes).toContainText(/TH-\d{4}-\d{5} \(financial, \d{4}-\d{2}/);
  await expect(classes).toContainText(/your team's share \d+\.\d\d%/);
  await expect(page.getByRole("table", { name: "By model", exact: true })).toContainText("claude-sonnet-4");
  await expect(page.getByRole("heading", { name: "How these numbers are made" })).toBeVisible();
  await page.screenshot({ path: "test-results/chargeback-team-lead.png", fullPage: true });

  const charge = money(await page.getByTestId("charge-total").textContent());
  const csv = await download(page);
  expect(csv.name).toBe(`chargeback-${hedgedMonth}-Customer_Support.csv`);
  expect(csv.lines[0]).toBe("period,month,team,cost_center,model_class,tokens,benchmark_usd,hedge_usd,charge_usd,status,benchmark,allocation");
  expect(csv.lines.slice(1).every((l) => l.split(",")[2] === "Customer Support")).toBe(true);
  const total = csv.lines.at(-1)!.split(",");
  expect(total[4]).toBe("TOTAL");
  expect(total[8]).toBe(charge);
  const lines = csv.lines.slice(1, -1).map((l) => new Decimal(l.split(",")[8]));
  expect(lines.reduce((a, b) => a.add(b), new Decimal(0)).toFixed(2)).toBe(charge);

  // never another team's numbers: the all-teams page and another team's statement are refused
  await page.goto("/chargebacks");
  await expect(page).toHaveURL(/\/forbidden/);
  expect((await page.request.get(`/api/v1/chargebacks?period=${hedgedMonth}&teamId=another-team`)).status()).toBe(403);
});

test("the CFO sees every team side by side; the teams' charges add up to the organization's cost", async ({ page }) => {
  await signIn(page, PERSONA.cfo);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Chargebacks" }).click();
  await expect(page.getByRole("heading", { name: `Chargebacks: ${label(lastMonth)}` })).toBeVisible();
  await choosePeriod(page, hedgedMonth);
  const table = page.getByRole("table", { name: "Chargebacks by team" });
  const rows = table.locator("tbody tr");
  // the demo's 8 teams, plus any team another spec created (with no usage, charged nothing)
  await expect(rows.first()).toBeVisible();
  const teamCount = await rows.count();
  expect(teamCount).toBeGreaterThanOrEqual(8);
  const charges = await rows.locator("td:nth-child(5)").allTextContents();
  const sum = charges.map(money).reduce((a, b) => a.add(b), new Decimal(0)).toFixed(2);
  const teamsTotal = money(await page.getByTestId("teams-total").textContent());
  const orgCost = money(await page.getByTestId("org-cost").textContent());
  expect(sum).toBe(teamsTotal);
  expect(teamsTotal).toBe(orgCost);
  await expect(page.getByRole("status").filter({ hasText: /^Hedging (saved|cost) the organization \$/ })).toBeVisible();

  // sortable from the keyboard (on the server: the URL keeps the order, the period stays)
  await table.getByRole("link", { name: /^Team/ }).focus();
  await page.keyboard.press("Enter");
  await expect(table.getByRole("columnheader", { name: /^Team/ })).toHaveAttribute("aria-sort", "ascending");
  await expect(page).toHaveURL(new RegExp(`period=${hedgedMonth}.*sort=teamName&dir=asc`));
  const names = await rows.locator("td:first-child").allTextContents();
  expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  await page.screenshot({ path: "test-results/chargeback-cfo.png", fullPage: true });

  const csv = await download(page);
  expect(csv.name).toBe(`chargeback-${hedgedMonth}-all-teams.csv`);
  expect(csv.lines.at(-1)!.split(",")[8]).toBe(orgCost);
  expect(new Set(csv.lines.slice(1, -1).map((l) => l.split(",")[2])).size).toBeGreaterThanOrEqual(8);

  // from a team to its statement: the same charge as in the table
  const supportCharge = money(await rows.filter({ hasText: "Customer Support" }).locator("td:nth-child(5)").textContent());
  await table.getByRole("link", { name: "Customer Support: statement" }).click();
  await expect(page.getByRole("heading", { name: `Customer Support: chargeback for ${label(hedgedMonth)}` })).toBeVisible();
  expect(money(await page.getByTestId("charge-total").textContent())).toBe(supportCharge);
  await page.screenshot({ path: "test-results/chargeback-cfo-team.png", fullPage: true });
});
