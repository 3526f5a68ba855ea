import { beforeAll, describe, expect, it, vi } from "vitest";
import { call, signInAs, signOut } from "./route";
import { makeOrg, type TestOrg } from "./fixtures";
import * as teams from "@/app/api/v1/teams/route";
import * as users from "@/app/api/v1/users/route";
import * as user from "@/app/api/v1/users/[id]/route";
import * as models from "@/app/api/v1/models/route";
import * as prices from "@/app/api/v1/models/[id]/prices/route";
import * as tokens from "@/app/api/v1/api-tokens/route";
import * as token from "@/app/api/v1/api-tokens/[id]/route";
import * as usage from "@/app/api/v1/usage/route";
import * as openapi from "@/app/api/v1/openapi.json/route";
import * as settings from "@/app/api/v1/org/settings/route";
import { prisma } from "@/lib/db/client";
import { revokeSessions } from "@/lib/auth/sessions";

vi.mock("next-auth", async (o) => ({ ...(await o<object>()), getServerSession: async () => (await import("./route")).session.current }));
const queued: string[] = [];
vi.mock("@/lib/jobs/queue", async (o) => ({ ...(await o<object>()), enqueue: async (name: string, data: { orgId?: string }) => (queued.push(`${name}:${data.orgId}`), "job-1") }));

let a: TestOrg;
let b: TestOrg;
beforeAll(async () => {
  a = await makeOrg("a");
  b = await makeOrg("b");
});
const as = (o: TestOrg, role: keyof TestOrg["users"]) => signInAs(o.users[role].id, o.org.id);

describe("access control", () => {
  it("a session is refused once the user's sessions are revoked (sign-out elsewhere, removal)", async () => {
    as(a, "CFO");
    expect((await call(teams.GET, "/api/v1/teams")).status).toBe(200);
    await revokeSessions(a.users.CFO.id);
    expect((await call(teams.GET, "/api/v1/teams")).status).toBe(401);
    signInAs(a.users.CFO.id, a.org.id, 1); // a fresh sign-in carries the new version
    expect((await call(teams.GET, "/api/v1/teams")).status).toBe(200);
    await prisma.user.update({ where: { id: a.users.CFO.id }, data: { sessionVersion: 0 } });
  });

  it("401 without a session or token, 403 for the wrong role", async () => {
    signOut();
    expect((await call(teams.GET, "/api/v1/teams")).status).toBe(401);
    as(a, "CFO");
    const r = await call(teams.POST, "/api/v1/teams", { method: "POST", body: { name: "Finance" } });
    expect(r.status).toBe(403);
  });

  it("422 names the field and reason", async () => {
    as(a, "ADMIN");
    const r = await call(users.POST, "/api/v1/users", { method: "POST", body: { email: "bad", name: "X", role: "TEAM_LEAD", password: "short" } });
    expect(r.status).toBe(422);
    const paths = r.json.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["body.email", "body.password", "body.teamId"]));
  });
});

describe("team search (the team picker)", () => {
  it("finds teams by a part of the name, case-insensitively, capped by limit; a team lead finds only their own; bad input is a 422 naming the field", async () => {
    as(a, "CFO");
    const names = async (qs: string) => ((await call(teams.GET, `/api/v1/teams${qs}`)).json as { name: string }[]).map((t) => t.name);
    expect(await names("?q=sUpP")).toEqual(["Support"]);
    expect(await names("?q=s&limit=1")).toEqual(["Search"]);
    expect(await names("?q=nothing-like-it")).toEqual([]);
    // another org's teams never match
    await prisma.team.create({ data: { organizationId: b.org.id, name: "Support desk" } });
    expect(await names("?q=support")).toEqual(["Support"]);
    as(a, "TEAM_LEAD");
    expect(await names("?q=s")).toEqual(["Support"]);
    as(a, "CFO");
    for (const [qs, field] of [["?limit=0", "query.limit"], ["?limit=abc", "query.limit"], [`?q=${"x".repeat(81)}`, "query.q"], ["?includeArchived=yes", "query.includeArchived"], ["?other=1", "query"]] as const) {
      const r = await call(teams.GET, `/api/v1/teams${qs}`);
      expect(r.status, qs).toBe(422);
      expect(r.json.error.issues.map((i: { path: string }) => i.path).join(","), qs).toContain(field);
    }
  });
});

describe("admin", () => {
  it("creates a team, refuses a duplicate name with 409, and audits", async () => {
    as(a, "ADMIN");
    const r = await call(teams.POST, "/api/v1/teams", { method: "POST", body: { name: "Finance", costCenter: "CC-9" } });
    expect(r.status).toBe(201);
    expect((await call(teams.POST, "/api/v1/teams", { method: "POST", body: { name: "Finance" } })).status).toBe(409);
    expect(await prisma.auditEvent.count({ where: { organizationId: a.org.id, action: "team.created", entityId: r.json.id } })).toBe(1);
  });

  it("creates a team lead bound to a team of the same org only", async () => {
    as(a, "ADMIN");
    const foreign = await call(users.POST, "/api/v1/users", { method: "POST", body: { email: "lead2@a.test", name: "L", role: "TEAM_LEAD", teamId: b.teamA.id, password: "long-enough-pass" } });
    expect(foreign.status).toBe(422);
    const ok = await call(users.POST, "/api/v1/users", { method: "POST", body: { email: "lead2@a.test", name: "L", role: "TEAM_LEAD", teamId: a.teamB.id, password: "long-enough-pass" } });
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ role: "TEAM_LEAD", teamId: a.teamB.id });
  });

  it("adds an effective-dated price; a second price for the same day is a 409", async () => {
    as(a, "ADMIN");
    const body = { effectiveFrom: "2026-06-01", inputUsdPerMTokens: "1.5", outputUsdPerMTokens: "6" };
    expect((await call(prices.POST, "/x", { method: "POST", body, params: { id: a.gpt.id } })).status).toBe(201);
    expect((await call(prices.POST, "/x", { method: "POST", body, params: { id: a.gpt.id } })).status).toBe(409);
    const bad = await call(prices.POST, "/x", { method: "POST", body: { ...body, inputUsdPerMTokens: "-1" }, params: { id: a.gpt.id } });
    expect(bad.status).toBe(422);
    expect(bad.json.error.issues[0].path).toBe("body.inputUsdPerMTokens");
  });

  it("API tokens: secret shown once, stored hashed, works as bearer, stops working when revoked", async () => {
    as(a, "ADMIN");
    const created = await call(tokens.POST, "/api/v1/api-tokens", { method: "POST", body: { name: "ETL" } });
    expect(created.status).toBe(201);
    const secret: string = created.json.secret;
    expect(secret).toMatch(/^th_/);
    const row = await prisma.apiToken.findUniqueOrThrow({ where: { id: created.json.id } });
    expect(row.tokenHash).not.toContain(secret);
    signOut();
    const withToken = await call(models.GET, "/api/v1/models", { headers: { authorization: `Bearer ${secret}` } });
    expect(withToken.status).toBe(200);
    expect(withToken.json.map((m: { name: string }) => m.name).sort()).toEqual(["gpt-4.1", "gpt-4.1-mini"]);
    // a token cannot use admin-only routes
    expect((await call(teams.POST, "/api/v1/teams", { method: "POST", body: { name: "Zeta" }, headers: { authorization: `Bearer ${secret}` } })).status).toBe(403);
    as(a, "ADMIN");
    expect((await call(token.DELETE, "/x", { method: "DELETE", params: { id: created.json.id } })).status).toBe(200);
    signOut();
    expect((await call(models.GET, "/api/v1/models", { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401);
  });
});

describe("org settings", () => {
  it("admin changes curve thresholds (merged over defaults, audited); bad values are a 422 naming the field", async () => {
    as(a, "ADMIN");
    const bad = await call(settings.PATCH, "/x", { method: "PATCH", body: { curve: { staleDays: 0 } } });
    expect(bad.status).toBe(422);
    expect(bad.json.error.issues[0].path).toBe("body.curve.staleDays");
    const unknown = await call(settings.PATCH, "/x", { method: "PATCH", body: { curve: { nope: 1 } } });
    expect(unknown.status).toBe(422);
    const ok = await call(settings.PATCH, "/x", { method: "PATCH", body: { curve: { staleDays: "21", wideSpreadPct: 15 } } });
    expect(ok.status).toBe(200);
    expect(ok.json.curve).toEqual({ staleDays: 21, wideSpreadPct: 15, thinMinQuotes: 3, halfLifeDays: 7, maxQuoteAgeDays: 60 });
    const org = await prisma.organization.findUniqueOrThrow({ where: { id: a.org.id } });
    expect((org.settings as { curve: { staleDays: number } }).curve.staleDays).toBe(21);
    expect(await prisma.auditEvent.count({ where: { organizationId: a.org.id, action: "org.settingsUpdated" } })).toBe(1);
    expect(queued).toContain(`curves.rebuild:${a.org.id}`);
    as(a, "PROCUREMENT");
    expect((await call(settings.PATCH, "/x", { method: "PATCH", body: { curve: { staleDays: 5 } } })).status).toBe(403);
  });
});

describe("tenant isolation", () => {
  it("org A asking for org B's ids gets 404 and never data", async () => {
    as(a, "ADMIN");
    expect((await call(user.DELETE, "/x", { method: "DELETE", params: { id: b.users.CFO.id } })).status).toBe(404);
    expect((await call(prices.POST, "/x", { method: "POST", body: { effectiveFrom: "2026-07-01", inputUsdPerMTokens: "1", outputUsdPerMTokens: "1" }, params: { id: b.gpt.id } })).status).toBe(404);
    const bTok = await prisma.apiToken.create({ data: { organizationId: b.org.id, name: "b", tokenHash: "h-" + b.org.id, prefix: "th_b", createdById: b.users.ADMIN.id } });
    expect((await call(token.DELETE, "/x", { method: "DELETE", params: { id: bTok.id } })).status).toBe(404);
    const u = await call(usage.GET, `/api/v1/usage?teamId=${b.teamA.id}`);
    expect(u.status).toBe(404);
    const list = await call(teams.GET, "/api/v1/teams");
    expect(list.json.map((t: { id: string }) => t.id)).not.toContain(b.teamA.id);
    expect(await prisma.user.count({ where: { id: b.users.CFO.id } })).toBe(1);
  });

  it("a team lead sees only their own team", async () => {
    as(a, "TEAM_LEAD");
    const list = await call(teams.GET, "/api/v1/teams");
    expect(list.json.map((t: { id: string }) => t.id)).toEqual([a.teamA.id]);
    expect((await call(usage.GET, `/api/v1/usage?teamId=${a.teamB.id}`)).status).toBe(403);
  });
});

describe("OpenAPI", () => {
  it("documents every v1 route from the zod schemas", async () => {
    const r = await call(openapi.GET as never, "/api/v1/openapi.json");
    expect(r.json.openapi).toBe("3.1.0");
    expect(r.json.paths["/api/v1/usage/imports"].post.requestBody.content["text/csv"]).toBeDefined();
    const userBody = r.json.paths["/api/v1/users"].post.requestBody.content["application/json"].schema;
    expect(userBody.properties.role.enum).toEqual(["ADMIN", "CFO", "PROCUREMENT", "TEAM_LEAD"]);
  });
});

describe("request hardening", () => {
  it("refuses cross-site cookie mutations and non-JSON bodies; API tokens are exempt from the origin check", async () => {
    as(a, "ADMIN");
    const evil = await call(teams.POST, "/api/v1/teams", { method: "POST", body: { name: "CSRF team" }, headers: { "content-type": "application/json", origin: "https://evil.example", host: "localhost" } });
    expect(evil.status).toBe(403);
    const site = await call(teams.POST, "/api/v1/teams", { method: "POST", body: { name: "CSRF team" }, headers: { "content-type": "application/json", "sec-fetch-site": "cross-site" } });
    expect(site.status).toBe(403);
    const plain = await call(teams.POST, "/api/v1/teams", { method: "POST", raw: JSON.stringify({ name: "Plain team" }), headers: { "content-type": "text/plain" } });
    expect(plain.status).toBe(415);
    const same = await call(teams.POST, "/api/v1/teams", { method: "POST", body: { name: "Same-origin team" }, headers: { "content-type": "application/json", origin: "http://localhost", host: "localhost", "sec-fetch-site": "same-origin" } });
    expect(same.status).toBe(201);
    expect(await prisma.team.count({ where: { organizationId: a.org.id, name: { in: ["CSRF team", "Plain team"] } } })).toBe(0);
  });

  it("a malformed or unknown Authorization header is a 401 even with a valid cookie; bodies are read only after authentication and are size-limited", async () => {
    as(a, "ADMIN");
    expect((await call(teams.GET, "/api/v1/teams", { headers: { authorization: "Bearer nonsense" } })).status).toBe(401);
    expect((await call(teams.GET, "/api/v1/teams", { headers: { authorization: "Basic abc" } })).status).toBe(401);
    signOut();
    expect((await call(teams.POST, "/api/v1/teams", { method: "POST", raw: "{not json", headers: { "content-type": "application/json" } })).status).toBe(401);
    as(a, "ADMIN");
    const big = await call(teams.POST, "/api/v1/teams", { method: "POST", raw: JSON.stringify({ name: "x".repeat(1_100_000) }), headers: { "content-type": "application/json" } });
    expect(big.status).toBe(413);
  });
});

describe("API token lifetime", () => {
  it("a token stops working when it expires and when its creator leaves the organization", async () => {
    const c = await makeOrg("tok");
    signInAs(c.users.ADMIN.id, c.org.id);
    const t = await call(tokens.POST, "/api/v1/api-tokens", { method: "POST", body: { name: "Nightly ETL", expiresInDays: 30 } });
    expect(t.status).toBe(201);
    const auth = { authorization: `Bearer ${t.json.secret}` };
    expect((await call(models.GET, "/api/v1/models", { headers: auth })).status).toBe(200);
    await prisma.apiToken.update({ where: { id: t.json.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await call(models.GET, "/api/v1/models", { headers: auth })).status).toBe(401);
    // a second admin creates a token, then is removed
    const second = await prisma.user.create({ data: { email: `admin2-${c.org.slug}@x.test`, name: "Second admin", passwordHash: "x" } });
    await prisma.membership.create({ data: { organizationId: c.org.id, userId: second.id, role: "ADMIN" } });
    signInAs(second.id, c.org.id);
    const t2 = await call(tokens.POST, "/api/v1/api-tokens", { method: "POST", body: { name: "Sync" } });
    const auth2 = { authorization: `Bearer ${t2.json.secret}` };
    expect((await call(models.GET, "/api/v1/models", { headers: auth2 })).status).toBe(200);
    signInAs(c.users.ADMIN.id, c.org.id);
    expect((await call(user.DELETE, "/x", { method: "DELETE", params: { id: second.id } })).status).toBe(200);
    expect((await call(models.GET, "/api/v1/models", { headers: auth2 })).status).toBe(401);
  });
});

describe("API token scopes", () => {
  it("are chosen at creation (READ by default), listed, enforced per route and stated in the OpenAPI document", async () => {
    const c = await makeOrg("scope");
    signInAs(c.users.ADMIN.id, c.org.id);
    const read = await call(tokens.POST, "/api/v1/api-tokens", { method: "POST", body: { name: "Dashboards" } });
    const ingest = await call(tokens.POST, "/api/v1/api-tokens", { method: "POST", body: { name: "ETL", scope: "INGEST" } });
    expect([read.json.scope, ingest.json.scope]).toEqual(["READ", "INGEST"]);
    expect((await call(tokens.POST, "/api/v1/api-tokens", { method: "POST", body: { name: "Bad", scope: "ROOT" } })).json.error.issues[0].path).toBe("body.scope");
    const listed = await call(tokens.GET, "/api/v1/api-tokens");
    expect(listed.json.map((t: { name: string; scope: string }) => `${t.name}:${t.scope}`).sort()).toEqual(["Dashboards:READ", "ETL:INGEST"]);
    signOut();
    const as = (secret: string) => ({ authorization: `Bearer ${secret}` });
    // READ: reads usage and the catalog, changes nothing
    expect((await call(usage.GET, "/api/v1/usage", { headers: as(read.json.secret) })).status).toBe(200);
    const readWrite = await call(teams.POST, "/api/v1/teams", { method: "POST", body: { name: "X" }, headers: as(read.json.secret) });
    expect(readWrite.status).toBe(403);
    expect(readWrite.json.error.message).toMatch(/scope \(READ\)/);
    // INGEST: the catalog and teams, not usage totals or admin changes
    expect((await call(teams.GET, "/api/v1/teams", { headers: as(ingest.json.secret) })).status).toBe(200);
    expect((await call(models.GET, "/api/v1/models", { headers: as(ingest.json.secret) })).status).toBe(200);
    expect((await call(usage.GET, "/api/v1/usage", { headers: as(ingest.json.secret) })).status).toBe(403);
    expect((await call(users.POST, "/api/v1/users", { method: "POST", body: {}, headers: as(ingest.json.secret) })).status).toBe(403);
    // a token never mints tokens, whatever its scope
    expect((await call(tokens.POST, "/api/v1/api-tokens", { method: "POST", body: { name: "Y" }, headers: as(ingest.json.secret) })).status).toBe(403);
    const doc = (await call(openapi.GET as never, "/api/v1/openapi.json")).json;
    expect(doc.paths["/api/v1/usage/imports"].post["x-token-scopes"]).toEqual(["INGEST", "ADMIN"]);
    expect(doc.paths["/api/v1/usage"].get["x-token-scopes"]).toEqual(["READ", "ADMIN"]);
  });
});
