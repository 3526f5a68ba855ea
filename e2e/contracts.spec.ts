import { expect, test } from "@playwright/test";
import { PERSONA, signIn } from "./helpers";

test("procurement books from a recommendation above the threshold; the CFO approves it from the queue; the timeline shows both", async ({ page }) => {
  await signIn(page, PERSONA.procurement);
  await page.getByRole("link", { name: "Recommendations" }).click();
  // the procurement landing page has a "General chat" class link too: wait until the recommendations page is up
  await expect(page).toHaveURL(/\/hedging\/recommendations/);
  await expect(page.getByRole("heading", { level: 1, name: "Hedge recommendations" })).toBeVisible();
  await page.getByRole("link", { name: "General chat", exact: true }).click();
  await expect(page).toHaveURL(/\/hedging\/recommendations\?.*class=/);
  await expect(page.getByRole("heading", { name: /^General chat: whole horizon/ })).toBeVisible();
  await page.getByRole("link", { name: /^Book \d{4}-\d{2}$/ }).first().click();
  await expect(page.getByRole("heading", { name: "Book a contract" })).toBeVisible();
  await expect(page.getByText(/Pre-filled from the recommendation/)).toBeVisible();
  // a quantity that is not a lot multiple is refused beside the field
  await page.getByLabel(/^Quantity/).fill("1500000000");
  await page.getByRole("button", { name: "Book contract" }).click();
  await expect(page.locator("#err-quantityTokens")).toContainText("multiple of the policy's lot");
  // 100B tokens at the recommended strike is far above the 250,000 USD approval threshold
  await page.getByLabel(/^Quantity/).fill("100000000000");
  await page.getByLabel("Counterparty").selectOption({ index: 2 }); // "Provider direct (demo)": the largest limit
  await page.getByRole("button", { name: "Book contract" }).click();
  await expect(page.getByRole("heading", { name: /^Contract TH-/ })).toBeVisible();
  await expect(page.getByTestId("status")).toHaveText("pending approval");
  const url = page.url();
  const reference = (await page.getByRole("heading", { name: /^Contract TH-/ }).textContent())!.replace("Contract ", "");

  await page.context().clearCookies();
  await signIn(page, PERSONA.cfo);
  const approvals = page.getByRole("navigation", { name: "Main" }).getByRole("listitem").filter({ hasText: "Approvals" });
  await expect(approvals).toContainText(/\d/);
  await page.getByRole("link", { name: "Approvals" }).click();
  await page.getByRole("link", { name: reference }).click();
  await page.getByLabel(/^Comment/).fill("Within the quarterly budget");
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("status")).toHaveText("booked");
  const timeline = page.getByRole("region", { name: "Timeline" });
  await expect(timeline).toContainText("Submitted for approval");
  await expect(timeline).toContainText("Pat Procurement");
  await expect(timeline).toContainText("Approved");
  await expect(timeline).toContainText("Carla CFO");
  await expect(timeline).toContainText("Within the quarterly budget");
  expect(page.url()).toBe(url);
  await page.screenshot({ path: "test-results/contract-approved.png", fullPage: true });
});

test("the demo's expired contract has a settlement statement", async ({ page }) => {
  await signIn(page, PERSONA.procurement);
  await page.getByRole("link", { name: "Contracts" }).click();
  await page.getByLabel("Status").selectOption("SETTLED");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/status=SETTLED/);
  const row = page.getByRole("row").filter({ has: page.getByRole("cell", { name: "settled", exact: true }) }).first();
  await expect(row).toBeVisible();
  await page.screenshot({ path: "test-results/contracts-settled-filter.png", fullPage: true });
  await row.getByRole("link", { name: /^TH-/ }).click();
  const settlements = page.getByRole("region", { name: "Settlements" });
  await expect(settlements.getByRole("row")).toHaveCount(2);
  await expect(settlements.getByRole("link", { name: "Download statement (CSV)" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Timeline" })).toContainText("Month settled");
});
