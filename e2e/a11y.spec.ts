import { mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { NAV } from "../lib/auth/nav";
import { PERSONA, signIn } from "./helpers";

// WCAG 2.0 / 2.1, levels A and AA: the conformance target in ACCESSIBILITY.md
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const SHOTS = "test-results/a11y-320";

type Persona = keyof typeof PERSONA;
const ROLE = { cfo: "CFO", procurement: "PROCUREMENT", lead: "TEAM_LEAD", admin: "ADMIN" } as const;
// pages reached from a page rather than the navigation: the booking form and a contract's timeline
const EXTRA: Partial<Record<Persona, string[]>> = { procurement: ["/contracts/new", "/imports/guide"], cfo: ["/market?class=general-chat", "/account"], admin: ["/account", "/imports/guide"] };

const slug = (path: string) => path.replace(/^\//, "").replace(/[^a-z0-9]+/gi, "-") || "home";

/** Waits for the page's heading and for every streamed section and client query to have arrived. */
async function settle(page: Page) {
  await expect(page.locator("main h1").first()).toBeVisible();
  await expect(page.locator("main").getByText(/^Loading\b.*…$/)).toHaveCount(0, { timeout: 30_000 });
  await page.waitForLoadState("networkidle");
}

/** Opens every chart's "Show as table" so the tables are audited too. */
async function openChartTables(page: Page) {
  const toggles = page.getByRole("button", { name: /^Show as table/ });
  for (let n = await toggles.count(); n > 0; n--) await toggles.first().click();
}

// checks per page are soft, so one run lists every page's problems instead of stopping at the first
async function audit(page: Page, label: string) {
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const blocking = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const lesser = result.violations.filter((v) => !blocking.includes(v));
  if (lesser.length) console.log(`${label}: minor/moderate: ${lesser.map((v) => `${v.id} (${v.nodes.length})`).join(", ")}`);
  expect.soft(blocking.map((v) => ({ rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) })), `${label}: serious or critical axe violations`).toEqual([]);

  // what axe no longer checks, or cannot: duplicate ids, charts or other focus stops without a name, buttons told apart only by position
  const dom = await page.evaluate(() => {
    const ids = [...document.querySelectorAll("[id]")].map((e) => e.id);
    const duplicateIds = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
    const unnamedStops = [...document.querySelectorAll<HTMLElement>("[tabindex]:not([tabindex='-1']), svg[tabindex]")]
      .filter((e) => !/^(A|BUTTON|INPUT|SELECT|TEXTAREA|SUMMARY)$/.test(e.tagName))
      .filter((e) => !e.getAttribute("aria-label") && !e.getAttribute("aria-labelledby"))
      .map((e) => e.outerHTML.slice(0, 120));
    return { duplicateIds, unnamedStops };
  });
  expect.soft(dom.duplicateIds, `${label}: duplicate ids`).toEqual([]);
  expect.soft(dom.unnamedStops, `${label}: focus stops without a name`).toEqual([]);
  const snapshot = await page.locator("body").ariaSnapshot();
  const buttons = [...snapshot.matchAll(/- button "([^"]+)"/g)].map((m) => m[1]);
  expect.soft([...new Set(buttons.filter((b, i) => buttons.indexOf(b) !== i))], `${label}: buttons with the same name`).toEqual([]);
}

/** 1.4.10: at 320 CSS px nothing but data tables (which scroll inside their own box) may scroll sideways. */
async function reflow(page: Page, file: string) {
  await page.setViewportSize({ width: 320, height: 720 });
  await page.waitForTimeout(300); // charts re-measure their container
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // the outermost elements sticking out on the right, to name in the failure
    const out = [...document.querySelectorAll<HTMLElement>("body *")].filter((e) => e.getBoundingClientRect().right > width + 1);
    const outermost = out.filter((e) => !out.includes(e.parentElement!)).slice(0, 5);
    return { by: document.documentElement.scrollWidth - width, culprits: outermost.map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`) };
  });
  await page.screenshot({ path: `${SHOTS}/${file}.png`, fullPage: true });
  expect.soft(overflow.by, `${file}: page scrolls sideways at 320 px (${overflow.culprits.join("; ")})`).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1280, height: 720 });
}

/** 2.4.7: every focus stop met by Tab shows an outline of at least 2 px (the current nav link included). */
async function focusVisible(page: Page, label: string, stops = 40) {
  await page.locator("body").focus();
  const missing: string[] = [];
  for (let i = 0; i < stops; i++) {
    await page.keyboard.press("Tab");
    const s = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const cs = getComputedStyle(el);
      return { what: `${el.tagName.toLowerCase()} "${(el.getAttribute("aria-label") ?? el.textContent ?? "").trim().slice(0, 40)}"`, width: parseFloat(cs.outlineWidth), style: cs.outlineStyle };
    });
    if (!s) break;
    if (s.style === "none" || s.width < 2) missing.push(s.what);
  }
  expect.soft(missing, `${label}: focus stops without a visible outline`).toEqual([]);
}

test.beforeAll(() => mkdirSync(SHOTS, { recursive: true }));

test("the sign-in page meets WCAG 2.1 AA and reflows at 320 px", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page).toHaveTitle("Sign in · Tokenhedge");
  await audit(page, "/sign-in");
  await reflow(page, "signed-out-sign-in");
});

for (const persona of Object.keys(PERSONA) as Persona[]) {
  test(`every page of the ${persona} persona meets WCAG 2.1 AA (axe), keeps focus visible and reflows at 320 px`, async ({ page }) => {
    test.setTimeout(420_000);
    await signIn(page, PERSONA[persona]);
    await focusVisible(page, `${persona} home`);
    const paths = [...NAV[ROLE[persona]].map((i) => i.href), ...(EXTRA[persona] ?? [])];
    if (persona === "procurement" || persona === "cfo") {
      // one contract's page: the first in the blotter
      await page.goto("/contracts");
      const first = page.getByRole("link", { name: /^TH-/ }).first();
      paths.push((await first.getAttribute("href"))!);
      // the CFO's hedge designation page of that contract (the form, or the memo with its effectiveness chart)
      if (persona === "cfo") {
        paths.push(`${(await first.getAttribute("href"))!}/designation`);
        // and the memo of the demo's hedge designated months ago: its chart and monthly table hold settled months
        await page.goto("/contracts?status=DELIVERING");
        const designated = page.getByRole("row").filter({ hasText: "Frontier reasoning" }).filter({ hasText: "4B" }).first().getByRole("link", { name: /^TH-/ });
        paths.push(`${(await designated.getAttribute("href"))!}/designation`);
      }
    }
    for (const path of paths) {
      await test.step(path, async () => {
        await page.goto(path);
        await settle(page);
        await expect.soft(page, `${path} is titled for itself`).toHaveTitle(/^.+ · Tokenhedge$/);
        await openChartTables(page);
        await audit(page, `${persona} ${path}`);
        await reflow(page, `${persona}-${slug(path)}`);
      });
    }
  });
}

test("at 320 px the navigation folds behind a Menu button that opens and closes it", async ({ page }) => {
  await signIn(page, PERSONA.cfo);
  // on the home page for good: the menu closes itself on every route change, the sign-in redirect included
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await page.setViewportSize({ width: 320, height: 720 });
  const nav = page.getByRole("navigation", { name: "Main" });
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(nav).toBeHidden();
  await menu.focus();
  await page.keyboard.press("Enter");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(nav).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/cfo-menu-open.png`, fullPage: true });
  await nav.getByRole("link", { name: "Forecasts" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Demand forecasts" })).toBeFocused();
  await expect(nav).toBeHidden();
});
