import { expect, test } from "@playwright/test";
import { navLabels, PERSONA, signIn } from "./helpers";

test("sign-in page lists the demo personas and rejects a wrong password clearly", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole("heading", { name: "Demo organization" })).toBeVisible();
  await expect(page.getByText(PERSONA.cfo)).toBeVisible();
  await page.getByLabel("Email").fill(PERSONA.cfo);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "incorrect" })).toHaveText("Email or password is incorrect.");
});

test("each persona lands on its home page with its own navigation", async ({ page }) => {
  const expectations: [string, RegExp, string[]][] = [
    [PERSONA.cfo, /\/dashboard$/, ["Dashboard", "Monthly report", "Approvals", "Contracts", "Chargebacks", "Recommendations", "Hedge policy", "Forward curves", "Forecasts", "Usage explorer"]],
    [PERSONA.procurement, /\/procurement$/, ["To do", "Recommendations", "Contracts", "Counterparties", "Market & curves", "Quotes", "Forecasts", "Usage imports", "Usage explorer"]],
    [PERSONA.lead, /\/my-team$/, ["My team", "Team forecast", "Usage explorer"]],
    [PERSONA.admin, /\/admin\/org$/, ["Organization", "Teams", "Users", "Model catalog", "Mappings", "Hedge policy", "Chargebacks", "Usage imports", "Usage explorer", "API tokens", "Job log", "Audit log"]],
  ];
  for (const [email, home, nav] of expectations) {
    await page.context().clearCookies();
    await signIn(page, email);
    await expect(page).toHaveURL(home);
    expect(await navLabels(page)).toEqual(nav);
    await expect(page.getByText("Demo data", { exact: true })).toBeVisible();
  }
});

test("a team lead cannot open admin pages", async ({ page }) => {
  await signIn(page, PERSONA.lead);
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/forbidden/);
  await expect(page.getByRole("heading", { name: "Not available for your role" })).toBeVisible();
});

test("every page names itself in the document title (WCAG 2.4.2)", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page).toHaveTitle("Sign in · Tokenhedge");
  await signIn(page, PERSONA.procurement);
  for (const [path, title] of [["/contracts", "Contracts"], ["/hedging/recommendations", "Hedge recommendations"], ["/usage", "Usage explorer"], ["/forecasts", "Forecasts"]]) {
    await page.goto(path);
    await expect(page).toHaveTitle(`${title} · Tokenhedge`);
  }
});
