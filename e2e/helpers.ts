import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "tokenhedge-demo";
export const PERSONA = {
  admin: "admin@demo.tokenhedge.test",
  cfo: "cfo@demo.tokenhedge.test",
  procurement: "procurement@demo.tokenhedge.test",
  lead: "lead.support@demo.tokenhedge.test",
};

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}

export async function navLabels(page: Page) {
  return page.getByRole("navigation", { name: "Main" }).getByRole("link").allTextContents();
}
