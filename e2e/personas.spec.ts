import path from "node:path";
import { expect, test } from "@playwright/test";
import { PERSONA, signIn } from "./helpers";

test("CFO dashboard shows spend from the demo usage", async ({ page }) => {
  await signIn(page, PERSONA.cfo);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await expect(page.getByTestId("spend-month")).toHaveText(/^\$\d+(\.\d+)?[KMBT]?$/);
  await expect(page.getByTestId("spend-table").getByRole("columnheader", { name: "Frontier reasoning", exact: true })).toBeVisible();
});

test("team lead sees only their team's usage", async ({ page }) => {
  await signIn(page, PERSONA.lead);
  await expect(page.getByRole("heading", { name: "Customer Support" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Anthropic claude-sonnet-4" })).toBeVisible();
  await page.getByRole("link", { name: "Usage explorer" }).click();
  await expect(page.getByLabel("Team", { exact: true })).toHaveValue("Customer Support");
  await expect(page.getByTestId("usage-total")).toHaveText(/^\$/);
  await expect(page.getByRole("cell", { name: "Search & Discovery" })).toHaveCount(0);
});

test("procurement uploads a file, maps an unknown model, imports, and sees the totals in the explorer", async ({ page }) => {
  await signIn(page, PERSONA.procurement);
  await page.getByRole("link", { name: "Usage imports" }).click();
  await page.getByLabel("Usage file").setInputFiles(path.join(import.meta.dirname, "fixtures", "unknown-model.csv"));
  await expect(page.getByTestId("chosen-file")).toContainText("unknown-model.csv");
  await page.getByRole("button", { name: "Check file" }).click();
  await expect(page.getByRole("heading", { name: "Map this unknown model" })).toBeVisible();
  await page.getByLabel("Catalog model for gpt-4.1-acme-finetune").selectOption({ label: "OpenAI gpt-4.1" });
  await expect(page.getByTestId("import-summary")).toContainText("Ready");
  await page.getByRole("button", { name: "Import 3 rows" }).click();
  await expect(page.getByTestId("import-summary")).toContainText("completed");
  await expect(page.getByRole("row", { name: /unknown-model\.csv/ })).toContainText("completed");

  await page.getByRole("link", { name: "Usage explorer" }).click();
  await page.getByLabel("Team", { exact: true }).fill("Legal Ops");
  await page.getByLabel("From", { exact: true }).fill("2024-02-01");
  await page.getByLabel("To", { exact: true }).fill("2024-02-29");
  await page.getByLabel("Break down by").selectOption("model");
  const row = page.getByRole("row", { name: /OpenAI gpt-4\.1/ });
  await expect(row).toContainText("3.6M");
});
