import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { expect, test } from "@playwright/test";
import { PERSONA, signIn } from "./helpers";

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

test("a CFO designates a demo contract, reads its monthly test, prints the memo and downloads the register", async ({ page }) => {
  await signIn(page, PERSONA.cfo);
  await page.goto("/contracts?status=BOOKED");
  // the demo's booked general-chat contract for next month (40B tokens): within the forecast, so the prospective test passes
  const row = page.getByRole("row").filter({ hasText: "General chat" }).filter({ hasText: "40B" }).first();
  const reference = (await row.getByRole("link", { name: /^TH-/ }).textContent())!;
  await row.getByRole("link", { name: reference }).click();
  await expect(page.getByRole("heading", { name: `Contract ${reference}` })).toBeVisible();
  await page.getByRole("link", { name: "Hedge accounting: designate" }).click();
  await expect(page.getByRole("heading", { name: "Hedge designation" })).toBeVisible();
  // too short an objective is refused beside the field
  await page.getByLabel("Risk management objective and strategy").fill("budget");
  await page.getByRole("button", { name: "Designate" }).click();
  await expect(page.locator(".error[role='alert']")).toContainText("at least 20 characters");
  await page.getByLabel("Risk management objective and strategy").fill("Fix the price of next month's general-chat usage to keep the AI budget certain");
  await page.getByRole("button", { name: "Designate" }).click();

  await expect(page.getByRole("heading", { name: `Hedge designation memo — ${reference}` })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Prospective test at designation \(critical terms\): passed/ })).toBeVisible();
  const retro = page.getByRole("region", { name: "Retrospective effectiveness (dollar offset)" });
  // designated today: its month has not settled, so the monthly test lists it as pending (no ratio to chart yet)
  await expect(retro).toContainText("No hedged month has settled yet.");
  await expect(retro).toContainText(/Not tested yet: \d{4}-\d{2} \(not settled yet\)/);
  await expect(page.getByRole("region", { name: "Designation", exact: true })).toContainText("Fix the price of next month's general-chat usage");
  await page.screenshot({ path: "test-results/designation-memo.png", fullPage: true });

  // the memo prints as a document: the print button opens the dialog; print styles hide navigation and controls
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => void ((window as unknown as { printed: number }).printed += 1);
  });
  await page.getByRole("button", { name: "Print or save as PDF" }).click();
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(page.getByRole("button", { name: "Print or save as PDF" })).toBeHidden();
  await expect(page.getByRole("heading", { name: `Hedge designation memo — ${reference}` })).toBeVisible();
  await page.screenshot({ path: "test-results/designation-memo-print.png", fullPage: true });
  await page.emulateMedia({ media: "screen" });

  // the trade register: every contract and event, service terms included, formulas neutralised, a TOTAL line
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Trade register (CSV)" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^trade-register-.*\.csv$/);
  const text = readFileSync((await download.path())!, "utf8");
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  const rows = parsed.data;
  const mine = rows.find((r) => r.record === "CONTRACT" && r.contract_reference === reference)!;
  expect(mine).toMatchObject({ status: "BOOKED", model_class: "General chat", quantity_tokens: "40000000000", designated_by: "Carla CFO", reserved_tokens_per_minute: "400000", uptime_commitment_pct: "99.900", latency_p95_ms: "1500", support_tier: "ENTERPRISE" });
  expect(mine.service_credit_rule).toMatch(/^uptime below 99\.9%: 10%; uptime below 99%: 25%; p95 latency above 2500 ms: 5%/);
  expect(rows.filter((r) => r.record === "EVENT" && r.contract_reference === reference).map((r) => r.event_type)).toEqual(["CREATED", "BOOKED", "DESIGNATED"]);
  expect(rows.at(-1)!.record).toBe("TOTAL");
  // no cell a spreadsheet would run as a formula: text starting with = + - @ is prefixed with an apostrophe
  const risky = rows.flatMap((r) => Object.values(r)).filter((v) => /^[=+\-@]/.test(v) && !NUMBER.test(v));
  expect(risky).toEqual([]);
});

test("a CFO opens the demo's designation made months ago: the chart and the monthly table show its settled months", async ({ page }) => {
  await signIn(page, PERSONA.cfo);
  // the demo's frontier-reasoning contract booked 120 days ago (4B tokens over five months), designated that day
  await page.goto("/contracts?status=DELIVERING");
  const row = page.getByRole("row").filter({ hasText: "Frontier reasoning" }).filter({ hasText: "4B" }).first();
  const reference = (await row.getByRole("link", { name: /^TH-/ }).textContent())!;
  await row.getByRole("link", { name: reference }).click();
  await expect(page.getByRole("heading", { name: `Contract ${reference}` })).toBeVisible();
  await page.getByRole("link", { name: "Hedge designation memo" }).click();
  await expect(page.getByRole("heading", { name: `Hedge designation memo — ${reference}` })).toBeVisible();
  await expect(page.getByText(/Cash-flow hedge designated .* by Carla CFO\./)).toBeVisible();
  await expect(page.getByRole("region", { name: "Designation", exact: true })).toContainText("Demo designation (seeded)");
  await expect(page.getByRole("heading", { name: /Prospective test at designation \(critical terms\): passed/ })).toBeVisible();

  // the hedged months whose month is over have settled: each is a row of the monthly test, the others are pending
  const hedged = await page.getByRole("region", { name: /Prospective test at designation/ }).locator("tbody tr td:first-child").allTextContents();
  const thisMonth = new Date().toISOString().slice(0, 7);
  const over = hedged.filter((m) => m < thisMonth);
  expect(over.length).toBeGreaterThan(0);
  const retro = page.getByRole("region", { name: "Retrospective effectiveness (dollar offset)" });
  const table = retro.getByTestId("effectiveness");
  await expect(table.locator("tbody tr td:first-child")).toHaveText(over);
  for (const cell of await table.locator("tbody tr td:nth-child(8)").allTextContents()) expect(cell).toMatch(/^-?[\d,]+\.\d{2}%$|^—$/);
  for (const cell of await table.locator("tbody tr td:nth-child(9)").allTextContents()) expect(cell).toMatch(/^effective$|^not effective: .+/);
  const pendingMonths = hedged.filter((m) => m >= thisMonth);
  if (pendingMonths.length) await expect(retro).toContainText(`Not tested yet: ${pendingMonths.map((m) => `${m} (not settled yet)`).join(", ")}.`);
  // the chart draws the monthly and cumulative ratio lines (loaded on the client)
  const chart = retro.getByTestId("effectiveness-chart");
  await expect(chart).toHaveAttribute("aria-label", new RegExp(`^Dollar-offset ratio per month from ${over[0]} to ${over.at(-1)}`));
  await expect(chart.locator(".recharts-line path").first()).toBeVisible();
  expect(await chart.locator("svg path").count()).toBeGreaterThan(1);
  await retro.getByRole("button", { name: /^Show as table\s*: Dollar-offset ratio per month$/ }).click();
  await expect(retro.getByTestId("effectiveness-chart-table").locator("tbody th[scope=row]")).toHaveText(over);
  await retro.getByRole("button", { name: /^Hide table\s*: Dollar-offset ratio per month$/ }).click();
  await retro.screenshot({ path: "test-results/designation-effectiveness.png" });
});

test("procurement books a contract with capacity and service terms from a recommendation and sees them on the blotter", async ({ page }) => {
  await signIn(page, PERSONA.procurement);
  // the procurement page shows capacity coverage beside the plan
  const capacity = page.getByRole("region", { name: "Capacity coverage: forecast peak vs reserved throughput" });
  await expect(capacity.getByTestId("capacity")).toBeVisible();
  await expect(capacity.getByRole("rowheader", { name: "General chat" })).toBeVisible();
  // the to-do list's booking of the recommendation
  await page.getByRole("link", { name: /^Book General chat \d{4}-\d{2}$/ }).first().click();
  await expect(page.getByText(/Pre-filled from the recommendation/)).toBeVisible();
  await page.getByLabel(/^Quantity/).fill("1000000000");
  await page.getByLabel("Reserved throughput (tokens per minute)").fill("500000");
  await page.getByLabel("Uptime commitment (%)").fill("99.9");
  await page.getByLabel("Latency commitment (p95, ms)").fill("1200");
  await page.getByLabel("Support tier").selectOption("ENTERPRISE");
  await page.getByRole("button", { name: "Add a credit tier" }).click();
  // a tier above the commitment is refused beside its threshold
  await page.getByLabel("Tier 1: Uptime below (%)").fill("99.95");
  await page.getByLabel("Tier 1 credit %").fill("10");
  await page.getByLabel("Monthly cap (% of the month's value)").fill("20");
  await page.getByRole("button", { name: "Book contract" }).click();
  await expect(page.locator(".field-error", { hasText: "must be at or below the uptime commitment of 99.9%" })).toBeVisible();
  await expect(page.getByLabel("Tier 1: Uptime below (%)")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Tier 1: Uptime below (%)").fill("99.5");
  await page.getByRole("button", { name: "Book contract" }).click();

  await expect(page.getByRole("heading", { name: /^Contract TH-/ })).toBeVisible();
  const reference = (await page.getByRole("heading", { name: /^Contract TH-/ }).textContent())!.replace("Contract ", "");
  const terms = page.getByRole("region", { name: "Capacity and service terms" });
  await expect(terms).toContainText("500K tokens per minute");
  await expect(terms).toContainText("p95 1200 ms");
  await expect(terms).toContainText("uptime below 99.5%: 10% of the month's contract value (deepest tier per metric; capped at 20% a month)");
  await page.screenshot({ path: "test-results/contract-service-terms.png", fullPage: true });

  await page.getByRole("link", { name: "← Contracts" }).click();
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: reference }) });
  await expect(row.getByTestId("service-terms-cell")).toHaveText("500K/min · 99.9% up · p95 1200 ms · Enterprise · 1 credit tier");
  await page.screenshot({ path: "test-results/blotter-service-terms.png", fullPage: true });
});
