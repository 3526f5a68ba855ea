/**
 * Authorization matrix over every API route handler under app/api/v1, found on disk (a new route is covered
 * automatically, and one missing from lib/api/spec.ts fails here). For each handler: anonymous → 401; every
 * role the spec does not list → 403; an API token of each scope → 403 outside its scope (lib/auth/scopes.ts),
 * authorized and no 5xx inside it; another organization's user on an id route → never our data (404, or an
 * empty answer). Prints `authz routes=N cases=M leaks=0`.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { makeOrg, type TestOrg } from "./fixtures";
import { call, signInAs, signOut } from "./route";
import { api } from "@/lib/api/spec";
import { prisma } from "@/lib/db/client";
import type { ApiTokenScope, Role } from "@/lib/generated/prisma/enums";
import { hashApiToken } from "@/lib/auth/context";
import { TOKEN_SCOPES, tokenMayCall } from "@/lib/auth/scopes";

vi.mock("next-auth", async (o) => ({ ...(await o<object>()), getServerSession: async () => (await import("./route")).session.current }));
vi.mock("@/lib/jobs/queue", async (o) => ({ ...(await o<object>()), enqueue: async () => "job-1", enqueueFollowUp: async () => undefined, enqueueAfterImport: async () => undefined }));

const ROOT = path.resolve(import.meta.dirname, "../app/api/v1");
const PUBLIC = new Set(["GET /api/v1/openapi.json"]);
const ROLES: Role[] = ["ADMIN", "CFO", "PROCUREMENT", "TEAM_LEAD"];
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? routeFiles(p) : f === "route.ts" ? [p] : [];
  });
}
/** app/api/v1/contracts/[id]/approve/route.ts → /api/v1/contracts/{id}/approve */
const apiPath = (file: string) => `/api/v1/${path.relative(ROOT, path.dirname(file)).split(path.sep).map((s) => s.replace(/^\[(.+)\]$/, "{$1}")).join("/")}`.replace(/\/$/, "");

let a: TestOrg;
let b: TestOrg;
const ids: Record<string, string> = {};
const tokens = {} as Record<ApiTokenScope, string>;
beforeAll(async () => {
  a = await makeOrg("authz-a");
  b = await makeOrg("authz-b");
  for (const scope of TOKEN_SCOPES) {
    const secret = `th_authz${scope.toLowerCase()}${"x".repeat(24)}`;
    await prisma.apiToken.create({ data: { organizationId: a.org.id, name: `authz ${scope}`, tokenHash: hashApiToken(secret), prefix: secret.slice(0, 9), createdById: a.users.ADMIN.id, scope } });
    tokens[scope] = secret;
  }
  const cp = await prisma.counterparty.create({ data: { organizationId: a.org.id, name: "Desk", rating: "A", limitUsd: "1000" } });
  ids.counterparty = cp.id;
});

describe("authorization matrix", () => {
  it("covers every route handler: anonymous 401, roles outside the spec 403, other tenants see nothing of ours", async () => {
    const files = routeFiles(ROOT);
    let cases = 0;
    const leaks: string[] = [];
    const routes: string[] = [];
    for (const file of files) {
      const mod = (await import(file)) as Record<string, unknown>;
      const p = apiPath(file);
      for (const method of METHODS) {
        const handler = mod[method] as Parameters<typeof call>[0] | undefined;
        if (!handler) continue;
        const key = `${method} ${p}`;
        routes.push(key);
        const ep = Object.values(api).find((e) => e.method === method && e.path === p);
        if (PUBLIC.has(key)) continue;
        expect(ep, `${key} is not in lib/api/spec.ts`).toBeTruthy();
        const params = Object.fromEntries([...p.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], a.cls.id]));
        const url = p.replace(/\{(\w+)\}/g, a.cls.id);
        const init = { method, params, ...(method === "GET" || method === "DELETE" ? {} : { body: {} }) };
        signOut();
        const anon = await call(handler, url, init);
        cases++;
        if (anon.status !== 401) leaks.push(`${key} anonymous → ${anon.status}`);
        for (const role of ROLES) {
          if ((ep!.roles as readonly string[]).includes(role)) continue;
          signInAs(a.users[role].id, a.org.id);
          const r = await call(handler, url, init);
          cases++;
          if (r.status !== 403) leaks.push(`${key} as ${role} → ${r.status}`);
        }
        // API tokens by scope: refused (403) outside their scope; inside it, authorized (never 401/403) and never a 5xx
        signOut();
        for (const scope of TOKEN_SCOPES) {
          const r = await call(handler, url, { ...init, headers: { authorization: `Bearer ${tokens[scope]}` } });
          cases++;
          if (!tokenMayCall(ep!, scope)) {
            if (r.status !== 403) leaks.push(`${key} token ${scope} → ${r.status}, expected 403`);
          } else if (r.status === 401 || r.status === 403 || r.status >= 500) leaks.push(`${key} token ${scope} → ${r.status}: ${JSON.stringify(r.json).slice(0, 160)}`);
        }
        // another org's user, allowed by role, on our ids: must not see or change them
        if (params && Object.keys(params).length) {
          const role = ROLES.find((r) => (ep!.roles as readonly string[]).includes(r));
          if (role) {
            signInAs(b.users[role].id, b.org.id);
            const r = await call(handler, url, init);
            cases++;
            if (r.status < 400 && JSON.stringify(r.json).includes(a.org.id)) leaks.push(`${key} cross-tenant → ${r.status} with org A's id`);
            if (r.status >= 200 && r.status < 300 && method !== "GET") leaks.push(`${key} cross-tenant ${method} → ${r.status}`);
          }
        }
      }
    }
    console.log(`authz routes=${routes.length} cases=${cases} leaks=${leaks.length}`);
    expect(leaks).toEqual([]);
    expect(routes.length).toBeGreaterThan(40);
  });
});
