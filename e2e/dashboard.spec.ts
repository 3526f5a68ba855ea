import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { PERSONA, signIn } from "./helpers";

/** Data marks of a recharts chart (bars, lines, areas), not its legend icons or grid. */
const dataPaths = (chart: Locator) => chart.locator("svg.recharts-surface path.recharts-rectangle, svg.recharts-surface path.recharts-curve");

async function expectPlotted(chart: Locator) {
  await expect(chart).toBeVisible();
  await expect(dataPaths(chart).first()).toBeAttached();
  expect(await dataPaths(chart).count()).toBeGreaterThan(0);
  const d = await dataPaths(chart).first().getAttribute("d");
  expect(d && d.length > 10).toBe(true);
}

async function downloadCsv(page: Page, name: string) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name }).first().click()]);
  const path = await download.path();
  return { fileName: download.suggestedFilename(), rows: Papa.parse<string[]>(readFileSync(path!, "utf8").trim()).data };
}

test("the CFO dashboard: coverage, budget at risk, scenario, mark-to-market and spend, each with data", async ({ page }) => {
  await signIn(page, PERSONA.cfo);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: "Hedge coverage, next 12 months" })).toBeVisible();
  await expectPlotted(page.getByTestId("coverage-chart"));
  // the grid highlights cells outside the band
  await expect(page.getByTestId("coverage-table").locator("td[data-status=under], td[data-status=over]").first()).toBeVisible();
  await expect(page.getByRole("heading", { name: /^Budget at risk, \d{4}-Q\d$/ })).toBeVisible();
  await expect(page.getByTestId("bar-expected-hedged")).toHaveText(/^\$\d+(\.\d+)?[KMBT]?$/);
  await expectPlotted(page.getByTestId("mtm-chart"));
  await expect(page.getByTestId("mtm-total")).toHaveText(/^-?\$\d+(\.\d+)?[KMBT]?$/);
  await expect(page.getByTestId("mtm-contracts").getByRole("row")).not.toHaveCount(1);
  await expectPlotted(page.getByTestId("spend-chart"));
  await expect(page.getByTestId("spend-table").getByRole("row").nth(1)).toBeVisible();
  await page.screenshot({ path: "test-results/dashboard-cfo.png", fullPage: true });

  // picking a contract adds its line to the MTM chart
  const mtm = page.getByTestId("mtm-chart");
  const before = await mtm.locator("path.recharts-line-curve").count();
  await page.getByLabel(/Show a contract beside the portfolio/).selectOption({ index: 1 });
  await expect(mtm.locator("path.recharts-line-curve")).toHaveCount(before + 1);
});

test("a scenario preset changes the hedged and unhedged numbers at once", async ({ page }) => {
  await signIn(page, PERSONA.cfo);
  const hedged = page.getByTestId("scenario-hedged");
  const unhedged = page.getByTestId("scenario-unhedged");
  await expect(hedged).toHaveText(/^\$[\d,]+$/);
  const [h0, u0] = [await hedged.textContent(), await unhedged.textContent()];
  await expect(page.getByTestId("scenario-hedged-change")).toHaveText("+$0");
  await page.getByRole("button", { name: "Provider cuts price 50%" }).click();
  await expect(page.getByRole("button", { name: "Provider cuts price 50%" })).toHaveAttribute("aria-pressed", "true");
  await expect(unhedged).not.toHaveText(u0!);
  await expect(hedged).not.toHaveText(h0!);
  await expect(page.getByTestId("scenario-unhedged-change")).toHaveText(/^−\$[\d,]+$/);
  await page.getByRole("button", { name: "Demand doubles" }).click();
  await expect(page.getByTestId("scenario-unhedged-change")).toHaveText(/^\+\$[\d,]+$/);
  // the simulated figures follow from the endpoint with the same shock
  await expect(page.getByTestId("scenario-simulated")).toContainText(/Simulated with the same shock \([\d,]+ paths\): hedged expected \$/);
  await page.locator("#scenario").screenshot({ path: "test-results/dashboard-scenario.png" });
});

test("an alert links to its contract; coverage and marks download as CSV", async ({ page }) => {
  await signIn(page, PERSONA.cfo);
  const alerts = page.getByTestId("alerts");
  await expect(alerts.getByRole("listitem").first()).toBeVisible();
  const link = alerts.getByRole("link", { name: /^Open TH-/ }).first();
  const reference = (await link.textContent())!.replace("Open ", "");
  await link.click();
  await expect(page).toHaveURL(/\/contracts\/[a-z0-9]+$/);
  await expect(page.getByRole("heading", { name: `Contract ${reference}` })).toBeVisible();

  await page.goto("/dashboard");
  const coverage = await downloadCsv(page, "Coverage (CSV)");
  expect(coverage.fileName).toMatch(/^coverage-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(coverage.rows[0].slice(0, 4)).toEqual(["model_class", "month", "tenor", "demand_p10_tokens"]);
  // 4 demo classes × 12 months
  expect(coverage.rows).toHaveLength(1 + 4 * 12);
  const marks = await downloadCsv(page, "Marks (CSV)");
  expect(marks.rows[0]).toEqual(expect.arrayContaining(["as_of", "contract_reference", "value_usd", "realised_usd", "unrealised_usd"]));
  expect(marks.rows.length).toBeGreaterThan(1);
  expect(marks.rows[1][10]).toMatch(/^-?\d+\.\d{6}$/);
  const periods = await downloadCsv(page, "Marks by month (CSV)");
  expect(periods.rows[0]).toEqual(["id", "period", "state", "quantity_tokens", "price", "discount_factor", "value_usd"]);
  expect(periods.rows.some((r) => r[1] === "TOTAL")).toBe(true);
});

test("procurement starts from what needs doing; the blotter shows MTM; team leads are kept out", async ({ page }) => {
  await signIn(page, PERSONA.procurement);
  await expect(page).toHaveURL(/\/procurement$/);
  await expect(page.getByRole("heading", { name: "What needs doing" })).toBeVisible();
  const tasks = page.getByTestId("tasks");
  await expect(tasks.getByRole("listitem").first()).toBeVisible();
  await expectPlotted(page.getByRole("img", { name: /^Forward curves:/ }));
  await expect(page.getByTestId("plan").getByRole("row")).toHaveCount(13);
  await page.screenshot({ path: "test-results/procurement-todo.png", fullPage: true });
  const book = tasks.getByRole("link", { name: /^Book / }).first();
  if (await book.count()) {
    await book.click();
    await expect(page.getByRole("heading", { name: "Book a contract" })).toBeVisible();
    await expect(page.getByText(/Pre-filled from the recommendation/)).toBeVisible();
  }

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contracts" }).click();
  await expect(page.getByRole("columnheader", { name: /^MTM/ })).toBeVisible();
  await expect(page.getByTestId("mtm").filter({ hasText: /\$/ }).first()).toBeVisible();
  await page.screenshot({ path: "test-results/contracts-mtm.png", fullPage: true });

  await page.context().clearCookies();
  await signIn(page, PERSONA.lead);
  for (const path of ["/dashboard", "/procurement"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/forbidden/);
  }
  const api = await page.request.get("/api/v1/marks");
  expect(api.status()).toBe(403);
});
