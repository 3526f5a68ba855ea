import { expect, test } from "@playwright/test";
import { PERSONA, signIn } from "./helpers";

test("admin creates a team and a team lead bound to it, sees both and the audit trail", async ({ page }) => {
  const team = `Robotics ${Date.now().toString(36)}`;
  await signIn(page, PERSONA.admin);
  await page.getByRole("link", { name: "Teams" }).click();
  await expect(page.getByRole("heading", { name: "Teams" })).toBeVisible();
  await page.getByLabel("Name").fill(team);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page.getByRole("cell", { name: team, exact: true })).toBeVisible();

  await page.getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  await page.getByLabel("Name").fill("Rita Robotics");
  const email = `rita.${Date.now().toString(36)}@demo.tokenhedge.test`;
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role").selectOption("TEAM_LEAD");
  await page.getByLabel("Initial password (12+ chars)").fill("rita-robotics-pass");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByText("a team lead must be bound to a team")).toBeVisible();
  await page.getByRole("combobox", { name: /^Team/ }).selectOption({ label: team });
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("status")).toContainText(`Created ${email}`);
  await expect(page.getByRole("row", { name: new RegExp(email) })).toContainText(team);

  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("cell", { name: "user.created" }).first()).toBeVisible();
  // a readable summary per row; the raw JSON only behind its disclosure
  await expect(page.getByText(`added user ${email} as team lead of ${team}`).first()).toBeVisible();
});

test("admin sees the model catalog with prices in force and can record a new version", async ({ page }) => {
  await signIn(page, PERSONA.admin);
  await page.getByRole("link", { name: "Model catalog" }).click();
  const row = page.getByRole("row", { name: /Mistral mistral-large/ });
  await expect(row).toContainText("$2.0000");
  await row.getByRole("button", { name: "New version" }).click();
  await row.getByLabel("Version", { exact: true }).fill("mistral-large-2512");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("row", { name: /Mistral mistral-large/ })).toContainText("mistral-large-2512");
});

test("admin creates an API token, sees the secret once, and revokes it", async ({ page }) => {
  await signIn(page, PERSONA.admin);
  await page.getByRole("link", { name: "API tokens" }).click();
  await page.getByLabel("Name (what uses it)").fill("Nightly ETL");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("token-secret")).toHaveText(/^th_/);
  page.once("dialog", (d) => d.accept());
  await page.getByRole("row", { name: /Nightly ETL/ }).getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByRole("row", { name: /Nightly ETL/ })).toContainText("revoked");
});
