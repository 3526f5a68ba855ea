import { expect, test } from "@playwright/test";
import { PERSONA, signIn } from "./helpers";

test("team lead sees their team's forecast with trust metrics and adds a planner event", async ({ page }) => {
  await signIn(page, PERSONA.lead);
  await page.getByRole("link", { name: "Team forecast" }).click();
  await expect(page.getByRole("heading", { name: "Team forecast" })).toBeVisible();
  await expect(page.getByLabel("Team", { exact: true })).toHaveValue("Customer Support");
  await expect(page.getByRole("img", { name: /Forecast of input tokens for Customer Support/ })).toBeVisible();
  await expect(page.getByTestId("backtest")).toContainText("P10–P90 coverage");
  // the accuracy in words a CFO reads correctly: compared with repeating last week, and the band's hit rate
  await expect(page.getByTestId("backtest")).toContainText(/(better|worse) than repeating last week's numbers|About as accurate as repeating last week/);
  await expect(page.getByTestId("backtest")).toContainText(/fell inside the P10–P90 range \d+% of the time/);
  await page.getByLabel("Model class", { exact: true }).selectOption({ label: "General chat" });
  await expect(page.getByRole("columnheader", { name: "Cost at curve (P50)" })).toBeVisible();
  await expect(page.getByRole("row", { name: /^\d{4}-\d{2} / }).first()).toContainText("$");

  await page.getByLabel("Event model class").selectOption({ label: "General chat" });
  await page.getByLabel("Event", { exact: true }).fill("New support bot launches");
  const next = new Date();
  const from = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 2, 1)).toISOString().slice(0, 10);
  await page.getByLabel("From", { exact: true }).fill(from);
  await page.getByLabel("Change %").fill("30");
  await page.getByRole("button", { name: "Add event" }).click();
  await expect(page.getByRole("cell", { name: "New support bot launches" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Adjusted total P50" })).toBeVisible();
});

test("CFO sees the org forecast and can drill into a class", async ({ page }) => {
  await signIn(page, PERSONA.cfo);
  await page.getByRole("link", { name: "Forecasts" }).click();
  await expect(page.getByRole("heading", { name: "Demand forecasts" })).toBeVisible();
  await expect(page.getByRole("img", { name: /All teams · all classes/ })).toBeVisible();
  await page.getByLabel("Tokens", { exact: true }).selectOption("OUTPUT");
  await expect(page.getByRole("img", { name: /Forecast of output tokens/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Add a planner event" })).toHaveCount(0);
  // a team is found by typing its name (the page embeds no list of every team)
  const team = page.getByLabel("Team", { exact: true });
  await team.fill("No such team");
  await expect(page.getByText("No team has that name.")).toBeVisible();
  await team.fill("Legal Ops");
  await expect(page).toHaveURL(/team=/);
  await expect(page.getByRole("img", { name: /Legal Ops/ })).toBeVisible();
});
