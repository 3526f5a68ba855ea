/**
 * Authorization matrix over every page under app/, found on disk (a new page is covered automatically; one that
 * neither checks the session nor is listed as public fails here). The roles a page allows are read from its
 * pageCtx([...]) call. Anonymous → sign-in; each persona: allowed → the page renders (its heading, no error
 * boundary); not allowed → /forbidden; a page loaded by id with an unknown or foreign id → 404.
 * Prints `pages routes=N cases=M violations=0`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { PERSONA, signIn } from "./helpers";

const APP = path.resolve(import.meta.dirname, "../app");
// public by design: sign-in, the refusal page, the one-time links (their token is the credential) and sign-up
// (a 404 unless SIGNUP=open)
const PUBLIC = new Set(["/sign-in", "/forbidden", "/invite/[token]", "/reset-password/[token]", "/sign-up"]);
const ROLES = ["ADMIN", "CFO", "PROCUREMENT", "TEAM_LEAD"] as const;
const PERSONA_OF = { ADMIN: PERSONA.admin, CFO: PERSONA.cfo, PROCUREMENT: PERSONA.procurement, TEAM_LEAD: PERSONA.lead } as const;
const UNKNOWN_ID = "cmunknownid0000000000000000";

function pageFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return f === "api" ? [] : pageFiles(p);
    return f === "page.tsx" ? [p] : [];
  });
}
/** app/(app)/contracts/[id]/page.tsx → /contracts/[id] (route groups dropped) */
const routeOf = (file: string) => `/${path.relative(APP, path.dirname(file)).split(path.sep).filter((s) => s && !/^\(.+\)$/.test(s)).join("/")}`;

type PageSpec = { route: string; roles: readonly string[] | null };
const pages: PageSpec[] = pageFiles(APP).map((file) => {
  const route = routeOf(file);
  const src = readFileSync(file, "utf8");
  const m = src.match(/pageCtx\((\[[^\]]*\])?\)/);
  if (!m) return { route, roles: null };
  return { route, roles: m[1] ? (JSON.parse(m[1]) as string[]) : ROLES };
});

async function land(page: Page, url: string) {
  const res = await page.goto(url);
  // server redirects are immediate; a redirect inside a streamed page arrives as the stream's own navigation
  await page.waitForLoadState("networkidle");
  return { status: res?.status() ?? 0, path: new URL(page.url()).pathname };
}

test("every page: anonymous to sign-in, each role allowed or forbidden as its pageCtx says, unknown ids 404", async ({ page }) => {
  test.setTimeout(600_000);
  const violations: string[] = [];
  let cases = 0;
  for (const p of pages) if (!p.roles && !PUBLIC.has(p.route)) violations.push(`${p.route} neither checks the session (pageCtx) nor is public`);
  const protectedPages = pages.filter((p) => p.roles);
  const urlOf = (route: string) => route.replace(/\[[^\]]+\]/g, UNKNOWN_ID);

  for (const p of protectedPages) {
    const r = await land(page, urlOf(p.route));
    cases++;
    if (r.path !== "/sign-in") violations.push(`anonymous ${p.route} → ${r.path} (${r.status})`);
  }
  for (const role of ROLES) {
    await page.context().clearCookies();
    await signIn(page, PERSONA_OF[role]);
    for (const p of protectedPages) {
      const url = urlOf(p.route);
      const allowed = p.roles!.includes(role);
      const r = await land(page, url);
      cases++;
      const dynamic = url !== p.route;
      if (!allowed) {
        if (r.path !== "/forbidden") violations.push(`${role} ${p.route} → ${r.path} (${r.status}), expected /forbidden`);
      } else if (dynamic) {
        if (r.status !== 404) violations.push(`${role} ${url} (unknown id) → ${r.status}, expected 404`);
      } else {
        const expected = p.route === "/" ? null : p.route;
        if (r.status !== 200) violations.push(`${role} ${p.route} → ${r.status}`);
        else if (expected && r.path !== expected) violations.push(`${role} ${p.route} → landed on ${r.path}`);
        else if ((await page.getByText(/Something went wrong/i).count()) > 0) violations.push(`${role} ${p.route} → error boundary`);
        else await expect(page.locator("main h1").first(), `${role} ${p.route}: heading`).toBeVisible();
      }
    }
  }
  console.log(`pages routes=${pages.length} cases=${cases} violations=${violations.length}`);
  expect(violations).toEqual([]);
});
