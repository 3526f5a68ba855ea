import { expect, test } from "@playwright/test";
import { PERSONA, signIn } from "./helpers";

test("procurement opens recommendations, evaluates a custom quantity and sees the chart change", async ({ page }) => {
  await signIn(page, PERSONA.procurement);
  await page.getByRole("link", { name: "Recommendations" }).click();
  await expect(page.getByRole("heading", { name: "Hedge recommendations" })).toBeVisible();
  await expect(page.getByRole("img", { name: /Recommended hedge vs unhedged/ })).toBeVisible();
  await expect(page.getByTestId("total-recommended")).toContainText("$");
  const firstInput = page.getByRole("textbox", { name: /Custom quantity for \d{4}-\d{2}/ }).first();
  await firstInput.fill("0");
  await page.getByRole("button", { name: "Evaluate custom quantities" }).click();
  await expect(page.getByRole("img", { name: /Custom hedge vs unhedged/ })).toBeVisible();
  await expect(page.getByTestId("total-custom")).toContainText("$");
  // a bad quantity is refused with the field named next to it
  await firstInput.fill("-3");
  await page.getByRole("button", { name: "Evaluate custom quantities" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "quantityTokens" })).toContainText("must be a whole number");
  await page.screenshot({ path: "test-results/recommendations-procurement.png", fullPage: true });
});

test("the CFO edits the hedge policy; a team lead cannot open recommendations", async ({ page }) => {
  await signIn(page, PERSONA.cfo);
  await page.getByRole("link", { name: "Hedge policy" }).click();
  await expect(page.getByRole("heading", { name: "Hedge policy" })).toBeVisible();
  await page.getByLabel("Max over-hedge probability (%)").fill("7.5");
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByRole("status")).toContainText("Saved");
  await expect(page.getByText("over-hedge limit 7.5%")).toBeVisible();
  await page.context().clearCookies();
  await signIn(page, PERSONA.lead);
  await page.goto("/hedging/recommendations");
  await expect(page).toHaveURL(/\/forbidden/);
});
