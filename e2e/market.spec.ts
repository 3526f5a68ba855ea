import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { PERSONA, signIn } from "./helpers";

test("procurement reads today's curve with past overlays, flags and quality-adjusted prices", async ({ page }) => {
  await signIn(page, PERSONA.procurement);
  // procurement lands on its to-do list; the market is one click away
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Market & curves" }).click();
  await expect(page).toHaveURL(/\/market$/);
  await expect(page.getByText("Demo market: the quotes behind these curves are generated demo data.")).toBeVisible();
  await expect(page.getByRole("img", { name: /Forward curves: As of .*1 week ago/ })).toBeVisible();
  // the page opens on the class with the most spend; the demo's flagged points are in Embedding
  await page.getByLabel("Model class").selectOption({ label: "Embedding" });
  await expect(page).toHaveURL(/class=embedding/);
  const rows = page.locator("table.data").first().locator("tbody tr");
  await expect(rows).toHaveCount(12);
  // which flags the demo market shows depends on the day it is generated for; at least one point is flagged
  await expect(rows.getByRole("cell", { name: /^(stale|wide|thin)( (stale|wide|thin))*$/ }).first()).toBeVisible();
  await page.getByLabel("Model class").selectOption({ label: "General chat" });
  await expect(page).toHaveURL(/class=general-chat/);
  await expect(page.getByRole("note")).toContainText("drift: OpenAI gpt-4.1 version changed on");
  const q = page.getByRole("row", { name: /Small & fast/ });
  await expect(q).toContainText("66");
});

test("procurement uploads a bad quotes file and sees each reason, then a good one", async ({ page }) => {
  await signIn(page, PERSONA.procurement);
  await page.getByRole("link", { name: "Quotes" }).click();
  await expect(page.getByRole("heading", { name: "Quotes", exact: true })).toBeVisible();
  await page.getByLabel("Quotes file").setInputFiles(path.join(import.meta.dirname, "fixtures", "bad-quotes.csv"));
  await expect(page.getByTestId("quote-result")).toContainText("nothing was imported");
  await expect(page.getByRole("cell", { name: "crossed market: ask 4.9 is below bid 5.1" })).toBeVisible();
  // dated at run time: a quote from the future or for a past delivery month would rightly be rejected
  const now = new Date();
  const month = (n: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + n, 1)).toISOString().slice(0, 7);
  const good = path.join(mkdtempSync(path.join(tmpdir(), "th-")), "good-quotes.csv");
  writeFileSync(good, `as_of,source,source_type,kind,model_class,model,delivery_month,bid,ask,mid,quantity_tokens\n${now.toISOString()},E2E Broker,BROKER,FORWARD,general-chat,,${month(1)},2.4,2.5,,\n${now.toISOString()},E2E Broker,BROKER,FORWARD,general-chat,,${month(2)},2.3,2.45,,\n`);
  await page.getByLabel("Quotes file").setInputFiles(good);
  await expect(page.getByTestId("quote-result")).toContainText("Imported 2 quotes.");
  await expect(page.getByRole("cell", { name: /E2E Broker/ }).first()).toBeVisible();
});
