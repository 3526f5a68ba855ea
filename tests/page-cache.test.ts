/**
 * The web server's page cache (lib/web/page-cache.ts) in front of a stand-in for Next: a real HTTP server, real
 * session tokens and the real membership and data-version checks against PostgreSQL. The stand-in counts its
 * renders and writes the nonce it was handed, as Next does.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeOrg, type TestOrg } from "./fixtures";
import { prisma } from "@/lib/db/client";
import { authSecret } from "@/lib/env";
import { audit } from "@/lib/services/audit";
import { applyCsp } from "@/lib/security/csp";
import { cacheableRequest, clearPageCache, pageCacheStats, serveCached } from "@/lib/web/page-cache";

let o: TestOrg;
let server: Server;
let base = "";
let renders = 0;
let status = 200;
let delayMs = 0;
let failPart = false;

/** Next's part: a page whose scripts carry the request's nonce, and what it rendered for whom. */
async function render(req: IncomingMessage, res: ServerResponse) {
  renders++;
  const n = renders;
  if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
  const nonce = /'nonce-([^']+)'/.exec(String(req.headers["content-security-policy"] ?? ""))?.[1] ?? "";
  res.statusCode = status;
  if (req.url?.startsWith("/api/")) {
    res.setHeader("content-type", "application/json");
    return void res.end(JSON.stringify({ render: n }));
  }
  res.setHeader("content-type", "text/html; charset=utf-8");
  res.write(`<html><head><script nonce="${nonce}" src="/a.js"></script></head>`);
  // a part that failed: React's errored boundary, as Next streams it inside a 200
  // (a chart that renders in the browser only bails out the same way with an empty digest: not a failure)
  const part = failPart
    ? `<!--$!--><template data-dgst="2412190811"></template><p>Something went wrong</p><!--/$-->`
    : `<!--$!--><template data-dgst=""></template><div class="chart chart-loading">Loading chart…</div><!--/$-->`;
  res.end(`<body><p>render ${n}</p>${part}<script nonce="${nonce}">self.x=1</script></body></html>`);
}

const cookieFor = async (uid: string, orgId: string, sv = 0, maxAge = 3600) => `next-auth.session-token=${await encode({ secret: authSecret(), token: { uid, orgId, sv }, maxAge })}`;

async function get(path: string, cookie: string | null, headers: Record<string, string> = {}) {
  const r = await fetch(`${base}${path}`, { headers: { ...(cookie ? { cookie } : {}), ...headers }, redirect: "manual" });
  const nonce = /'nonce-([^']+)'/.exec(r.headers.get("content-security-policy") ?? "")?.[1] ?? null;
  return { status: r.status, cache: r.headers.get("x-page-cache"), nonce, body: await r.text(), type: r.headers.get("content-type") };
}

beforeAll(async () => {
  o = await makeOrg("pagecache");
  server = createServer((req, res) => {
    const nonce = applyCsp(req, res);
    if (cacheableRequest(req)) return void serveCached(req, res, nonce, () => render(req, res));
    void render(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  clearPageCache();
  renders = 0;
  status = 200;
  delayMs = 0;
  failPart = false;
});

describe("page cache", () => {
  it("serves a reload from the store with this response's own nonce, and renders again after a data change", async () => {
    const cookie = await cookieFor(o.users.CFO.id, o.org.id);
    const a = await get("/dashboard", cookie);
    const b = await get("/dashboard", cookie);
    expect([a.cache, b.cache]).toEqual(["miss", "hit"]);
    expect(renders).toBe(1);
    expect(b.body).toContain("render 1");
    expect(a.nonce).not.toBe(b.nonce);
    // every script of the hit carries the hit's nonce; the stored one is gone
    expect(b.body.match(/nonce="([^"]+)"/g)).toEqual([`nonce="${b.nonce}"`, `nonce="${b.nonce}"`]);
    expect(b.body).not.toContain(a.nonce!);
    expect(b.body.replaceAll(b.nonce!, "N")).toBe(a.body.replaceAll(a.nonce!, "N"));

    // anything audited in the org changes its data version: the next load is a fresh render
    await audit(prisma, o.ctx("ADMIN"), "test.change", "Team", o.teamA.id);
    const c = await get("/dashboard", cookie);
    expect(c.cache).toBe("miss");
    expect(c.body).toContain("render 2");
    // the query string is part of the page
    expect((await get("/dashboard?tab=mtm", cookie)).cache).toBe("miss");
  });

  it("never serves one session's page to another session, and re-checks the session on every hit", async () => {
    const cfo = await cookieFor(o.users.CFO.id, o.org.id);
    await get("/contracts", cfo);
    expect((await get("/contracts", cfo)).cache).toBe("hit");
    // another user, and another token of the same user: their own renders
    expect((await get("/contracts", await cookieFor(o.users.PROCUREMENT.id, o.org.id))).cache).toBe("miss");
    expect((await get("/contracts", await cookieFor(o.users.CFO.id, o.org.id, 0, 7200))).cache).toBe("miss");
    // a forged token, an expired one, a revoked one (session version) and a deactivated member go to Next as they are
    const forged = `next-auth.session-token=${await encode({ secret: "not-the-secret-0123456789abcdef", token: { uid: o.users.CFO.id, orgId: o.org.id, sv: 0 } })}`;
    const before = renders;
    for (const c of [forged, await cookieFor(o.users.CFO.id, o.org.id, 0, -10), await cookieFor(o.users.CFO.id, o.org.id, 1)]) {
      const r = await get("/contracts", c);
      expect(r.cache).toBeNull();
    }
    expect(renders).toBe(before + 3);
    await prisma.membership.update({ where: { organizationId_userId: { organizationId: o.org.id, userId: o.users.CFO.id } }, data: { deactivatedAt: new Date() } });
    try {
      expect((await get("/contracts", cfo)).cache).toBeNull();
    } finally {
      await prisma.membership.update({ where: { organizationId_userId: { organizationId: o.org.id, userId: o.users.CFO.id } }, data: { deactivatedAt: null } });
    }
    // a role change is part of the key
    await prisma.membership.update({ where: { organizationId_userId: { organizationId: o.org.id, userId: o.users.CFO.id } }, data: { role: "PROCUREMENT" } });
    try {
      expect((await get("/contracts", cfo)).cache).toBe("miss");
    } finally {
      await prisma.membership.update({ where: { organizationId_userId: { organizationId: o.org.id, userId: o.users.CFO.id } }, data: { role: "CFO" } });
    }
  });

  it("keeps only complete 200 answers, renders a page once under concurrent misses, and answers gzip when asked", async () => {
    const cookie = await cookieFor(o.users.CFO.id, o.org.id);
    status = 500;
    await get("/usage", cookie);
    expect((await get("/usage", cookie)).cache).toBe("miss");
    status = 200;
    // a 200 page with a failed part is not kept either: the next load renders again
    failPart = true;
    await get("/usage", cookie);
    expect((await get("/usage", cookie)).cache).toBe("miss");
    failPart = false;
    delayMs = 150;
    const many = await Promise.all(Array.from({ length: 6 }, () => get("/forecasts", cookie)));
    expect(renders).toBe(5);
    expect(new Set(many.map((m) => m.body.replace(/nonce="[^"]+"/g, "")))).toHaveProperty("size", 1);
    for (const m of many) expect(m.body).toContain(`nonce="${m.nonce}"`);
    delayMs = 0;
    const r = await fetch(`${base}/forecasts`, { headers: { cookie, "accept-encoding": "gzip" } });
    expect(r.headers.get("x-page-cache")).toBe("hit");
    // fetch undoes the encoding itself; the header says it was there
    expect(r.headers.get("content-encoding")).toBe("gzip");
    expect(await r.text()).toContain("render 5");
    expect(pageCacheStats().entries).toBeGreaterThan(0);
  });

  it("answers only plain GETs of listed pages and session-cookie API reads", async () => {
    const cookie = await cookieFor(o.users.CFO.id, o.org.id);
    const req = (url: string, headers: Record<string, string> = {}, method = "GET") => ({ url, method, headers: { cookie, ...headers } }) as unknown as IncomingMessage;
    expect(cacheableRequest(req("/dashboard"))).toBe(true);
    expect(cacheableRequest(req("/api/v1/coverage?format=json"))).toBe(true);
    expect(cacheableRequest(req("/dashboard", {}, "POST"))).toBe(false);
    expect(cacheableRequest(req("/admin/jobs"))).toBe(false);
    // a client navigation's payload is kept (keyed by its router headers); prefetches and odd mixes are not
    expect(cacheableRequest(req("/dashboard?_rsc=abc", { rsc: "1", "next-router-state-tree": "%5B%5D" }))).toBe(true);
    expect(cacheableRequest(req("/dashboard", { rsc: "1", "next-router-prefetch": "1" }))).toBe(false);
    expect(cacheableRequest(req("/dashboard?_rsc=abc"))).toBe(false);
    expect(cacheableRequest(req("/api/v1/coverage", { authorization: "Bearer th_x" }))).toBe(false);
    expect(cacheableRequest({ url: "/dashboard", method: "GET", headers: {} } as unknown as IncomingMessage)).toBe(false);
    // two navigations from different router states are two entries, never one for the other
    const nav = (tree: string) => get("/dashboard?_rsc=1", cookie, { rsc: "1", "next-router-state-tree": tree });
    const n1 = await nav("tree-a");
    const n2 = await nav("tree-b");
    const n3 = await nav("tree-a");
    expect([n1.cache, n2.cache, n3.cache]).toEqual(["miss", "miss", "hit"]);
    expect(n3.body.replaceAll(n3.nonce!, "N")).toBe(n1.body.replaceAll(n1.nonce!, "N"));
    expect(n2.body).not.toContain(n1.body.match(/render \d+/)![0]);
    // an endpoint's JSON is kept as is (no nonce)
    const a = await get("/api/v1/coverage?format=json", cookie);
    const b = await get("/api/v1/coverage?format=json", cookie);
    expect([a.cache, b.cache]).toEqual(["miss", "hit"]);
    expect(b.body).toBe(a.body);
    expect(b.type).toContain("application/json");
  });
});
