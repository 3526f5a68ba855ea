import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { DEMO_PASSWORD, PERSONA } from "./helpers";

/** Presses Tab (or Shift+Tab) until `target` has focus; fails when it is not among the next `max` focus stops. */
async function tabTo(page: Page, target: Locator, { back = false, max = 120 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  throw new Error(`not reached with ${back ? "Shift+Tab" : "Tab"}: ${target}`);
}

const focusNotOnBody = (page: Page) => page.evaluate(() => document.activeElement !== null && document.activeElement !== document.body);

// The journey never calls click(), hover() or any mouse API: keys only. (The OS file dialog is answered by
// Playwright's file chooser, the keyboard user's equivalent of typing a path into it.)
test("procurement imports a usage file and books a contract from a recommendation with the keyboard alone", async ({ page }) => {
  test.setTimeout(180_000);
  // its own model name and months, so it neither replaces nor duplicates what other journeys import
  const model = `gpt-4.1-kbd-${Date.now().toString(36)}`;
  const file = path.join(mkdtempSync(path.join(tmpdir(), "th-kbd-")), "keyboard-usage.csv");
  writeFileSync(file, `date,team,provider,model,input_tokens,output_tokens\n2023-11-06,Legal Ops,OpenAI,${model},1000000,100000\n2023-11-07,Legal Ops,OpenAI,${model},2000000,200000\n`);

  await page.goto("/sign-in");
  await expect(page.getByLabel("Email")).toBeFocused();
  await page.keyboard.type(PERSONA.procurement);
  await page.keyboard.press("Tab");
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press("Enter");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "What needs doing" })).toBeVisible();

  // navigation moves focus to the new page's heading
  await tabTo(page, nav.getByRole("link", { name: "Usage imports" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Usage imports" })).toBeFocused();
  await expect(page).toHaveTitle("Usage imports · Tokenhedge");

  // listening from here on turns on file-chooser interception before the key is pressed (on a loaded machine the
  // first press could otherwise open an uninterceptable native dialog); pressed again if no dialog came
  const chooser = page.waitForEvent("filechooser", { timeout: 60_000 });
  await tabTo(page, page.getByRole("button", { name: "choose a file" }));
  await page.keyboard.press("Enter");
  const opened = await Promise.race([chooser, page.waitForTimeout(5_000).then(() => null)]);
  if (!opened) await page.keyboard.press("Enter");
  await (await chooser).setFiles(file);
  await expect(page.getByTestId("chosen-file")).toContainText("keyboard-usage.csv");

  const check = page.getByRole("button", { name: "Check file" });
  await tabTo(page, check);
  await page.keyboard.press("Enter");
  // while the check runs the button stays focusable (aria-disabled), so focus is not dropped to the body
  await expect(check).toBeFocused();
  await expect(page.getByRole("heading", { name: "Map this unknown model" })).toBeVisible();
  expect(await focusNotOnBody(page)).toBe(true);

  // stepping through the catalog with ArrowDown does not map anything yet; Enter does
  const pick = page.getByLabel(`Catalog model for ${model}`);
  await tabTo(page, pick);
  await page.keyboard.press("ArrowDown");
  await page.waitForTimeout(500);
  await expect(page.getByRole("heading", { name: "Map this unknown model" })).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("import-summary")).toContainText("Ready");
  expect(await focusNotOnBody(page)).toBe(true);

  await tabTo(page, page.getByRole("button", { name: "Import 2 rows" }));
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("import-summary")).toContainText("completed");
  // the Import button is gone with the step: focus lands on the outcome, not on the body
  await expect(page.getByTestId("import-summary")).toBeFocused();
  await expect(page.getByRole("row", { name: /keyboard-usage\.csv/ }).first()).toContainText("completed");

  // to the recommendations, by Shift+Tab back up to the navigation
  await tabTo(page, nav.getByRole("link", { name: "Recommendations" }), { back: true, max: 200 });
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Hedge recommendations" })).toBeFocused();

  // a class other than General chat (the approval journey books that one): the first with a month to book
  const classes = page.getByRole("navigation", { name: "Model classes" }).getByRole("link");
  const names = (await classes.allTextContents()).filter((n) => n !== "General chat");
  let book: Locator | null = null;
  for (const name of names) {
    await tabTo(page, classes.filter({ hasText: name }), { back: true, max: 200 });
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { name: new RegExp(`^${name}: whole horizon`) })).toBeVisible();
    const link = page.getByRole("link", { name: /^Book \d{4}-\d{2}$/ }).first();
    if (await link.count()) {
      book = link;
      break;
    }
  }
  expect(book, "a class with a month to book").not.toBeNull();
  await tabTo(page, book!);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Book a contract" })).toBeFocused();
  await expect(page.getByText(/Pre-filled from the recommendation/)).toBeVisible();

  // one lot, with the counterparty of the largest limit
  await tabTo(page, page.getByLabel(/^Quantity/));
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("1000000000");
  await tabTo(page, page.getByLabel("Counterparty"));
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await tabTo(page, page.getByRole("button", { name: "Book contract" }));
  await page.keyboard.press("Enter");
  const heading = page.getByRole("heading", { level: 1, name: /^Contract TH-/ });
  await expect(heading).toBeFocused();
  await expect(page.getByTestId("status")).toHaveText(/booked|pending approval/);
});

test("stepping through a page-changing select with the arrow keys changes nothing until Enter (/market, /forecasts)", async ({ page }) => {
  await page.goto("/sign-in");
  await page.keyboard.type(PERSONA.cfo);
  await page.keyboard.press("Tab");
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();

  await page.goto("/market");
  const cls = page.getByLabel("Model class", { exact: true });
  await tabTo(page, cls);
  const before = await cls.inputValue();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("status").filter({ hasText: "Press Enter or Show to switch." })).toBeVisible();
  await page.waitForTimeout(500);
  await expect(page).toHaveURL(/\/market$/);
  const after = await cls.inputValue();
  expect(after).not.toBe(before);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`class=${after}`));

  await page.goto("/forecasts");
  const fcls = page.getByLabel("Model class", { exact: true });
  await tabTo(page, fcls);
  await page.keyboard.press("ArrowDown");
  await page.waitForTimeout(500);
  await expect(page).toHaveURL(/\/forecasts$/);
  await tabTo(page, page.getByRole("button", { name: "Show", exact: true }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/forecasts\?.*class=/);

  // the team is typed: the keyboard reaches the field from the top of the page, a name from the list picks it
  await page.goto(page.url());
  const team = page.getByLabel("Team", { exact: true });
  await tabTo(page, team);
  await page.keyboard.type("Legal Ops");
  await expect(page).toHaveURL(/\/forecasts\?.*team=/);
});
