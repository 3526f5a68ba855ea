/**
 * Probes of session 5's capabilities as an attacker or careless client would use them (connectors, capacity and
 * service terms, identity). Each test here failed before the fix it guards. Real PostgreSQL, real route handlers.
 */
import { createServer as createTcpServer, type AddressInfo, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db/client";
import { syncConnector } from "@/lib/services/connectors/connectors";
import { sealSecret } from "@/lib/services/connectors/secret-box";
import { hostRefusal, isPublicAddress, publicUrlRefusal } from "@/lib/connectors/egress";
import { completeSsoSignIn, ssoProviderId } from "@/lib/services/sso";
import { seal } from "@/lib/auth/crypto";
import { makeOrg, type TestOrg } from "./fixtures";
import { call, signInAs } from "./route";
import * as connectorsRoute from "@/app/api/v1/connectors/route";
import * as connectorRoute from "@/app/api/v1/connectors/[id]/route";
import * as ssoRoute from "@/app/api/v1/org/sso/route";
import * as termsRoute from "@/app/api/v1/contracts/[id]/service-terms/route";
import * as starterRoute from "@/app/api/v1/org/starter/route";
import { signUpAction } from "@/lib/auth/signup-actions";
import { signUpOrganization } from "@/lib/services/orgs";

vi.mock("next-auth", async (o) => ({ ...(await o<object>()), getServerSession: async () => (await import("./route")).session.current }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-forwarded-for": "203.0.113.55" }) }));
vi.mock("@/lib/jobs/queue", async (o) => ({ ...(await o<object>()), enqueueAfterImport: async () => undefined, enqueueFollowUp: async () => undefined, enqueue: async () => undefined }));

const KEY = "sk-admin-ProbeSession5Key0123456789abcdef";
let t: TestOrg;

// a TCP listener on loopback standing in for an internal service: it counts every connection made to it
const sockets: Socket[] = [];
let connections = 0;
const internal = createTcpServer((s) => {
  connections++;
  sockets.push(s);
  s.destroy();
});
let port = 0;

beforeAll(async () => {
  await new Promise<void>((r) => internal.listen(0, "127.0.0.1", r));
  port = (internal.address() as AddressInfo).port;
  t = await makeOrg("probe5");
});
afterAll(async () => {
  await new Promise((r) => internal.close(r));
});

describe("SSRF through a connector's own base URL", () => {
  const internalUrls = [
    "https://127.0.0.1",
    "https://127.1.2.3:8443/v1",
    "https://localhost:5432",
    "https://api.localhost",
    "https://169.254.169.254/latest/meta-data",
    "https://metadata.google.internal",
    "https://10.0.0.7",
    "https://172.16.5.4",
    "https://192.168.1.1",
    "https://100.64.0.1",
    "https://0.0.0.0",
    "https://[::1]",
    "https://[::ffff:127.0.0.1]",
    "https://[::ffff:a9fe:a9fe]",
    "https://[fd00::1]",
    "https://[fe80::1]",
    "https://2130706433", // 127.0.0.1 as one number
    "https://0x7f.1", // 127.0.0.1 in hex shorthand
    "https://intranet",
    "https://user:pass@api.openai.com",
  ];

  it("refuses loopback, private, link-local, reserved and internal hosts on create and update (422 naming baseUrl)", async () => {
    signInAs(t.users.ADMIN.id, t.org.id);
    for (const [i, baseUrl] of internalUrls.entries()) {
      const r = await call(connectorsRoute.POST, "/api/v1/connectors", { method: "POST", body: { provider: "OPENAI", name: `probe ${i}`, adminKey: KEY, startDate: "2026-10-01", baseUrl } });
      expect({ baseUrl, status: r.status }).toEqual({ baseUrl, status: 422 });
      expect(r.json.error.issues.map((x: { path: string }) => x.path)).toEqual(["body.baseUrl"]);
    }
    const ok = await call(connectorsRoute.POST, "/api/v1/connectors", { method: "POST", body: { provider: "OPENAI", name: "proxy", adminKey: KEY, startDate: "2026-10-01", baseUrl: "https://llm-gateway.example.com/openai" } });
    expect(ok.status).toBe(201);
    for (const baseUrl of ["https://169.254.169.254", "https://[::1]:8080"]) {
      const r = await call(connectorRoute.PATCH, `/api/v1/connectors/${ok.json.id}`, { method: "PATCH", params: { id: ok.json.id }, body: { baseUrl } });
      expect(r.status).toBe(422);
      expect(r.json.error.issues[0].path).toBe("body.baseUrl");
    }
    const stored = await prisma.usageConnector.findUniqueOrThrow({ where: { id: ok.json.id } });
    expect(stored.baseUrl).toBe("https://llm-gateway.example.com/openai");
  });

  it("a sync never connects to an internal address a stored base URL names or resolves to (legacy rows, DNS changes)", async () => {
    // "vm" and "localhost" resolve to 127.0.0.1 through /etc/hosts, the IP literal needs no DNS at all
    for (const [i, host] of [`127.0.0.1:${port}`, `localhost:${port}`, `vm:${port}`].entries()) {
      const c = await prisma.usageConnector.create({
        data: { organizationId: t.org.id, provider: "OPENAI", name: `legacy ${i}`, keyCiphertext: sealSecret(KEY, t.org.id), keyHint: "sk-admin…cdef", baseUrl: `https://${host}`, startDate: new Date("2026-10-01T00:00:00Z") },
      });
      const before = connections;
      const out = await syncConnector(t.org.id, c.id, { trigger: "probe", now: new Date("2026-10-03T12:00:00Z") });
      expect(out.status).toBe("FAILED");
      expect(out.error).toMatch(/base URL .*nothing was sent/);
      expect(out.error).not.toContain(KEY);
      expect(connections).toBe(before);
      const run = await prisma.connectorSyncRun.findUniqueOrThrow({ where: { id: out.runId } });
      expect(run.requests).toBe(0);
    }
  });

  it("classifies addresses: public ones pass, every internal spelling is refused; any internal answer of a DNS name refuses it", async () => {
    for (const ip of ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "2a00:1450:4001::200e"]) expect({ ip, pub: isPublicAddress(ip) }).toEqual({ ip, pub: true });
    for (const ip of ["127.0.0.1", "10.1.2.3", "172.31.255.255", "192.168.0.1", "169.254.169.254", "100.127.0.1", "224.0.0.1", "255.255.255.255", "::", "::1", "::ffff:10.0.0.1", "::ffff:7f00:1", "64:ff9b::a9fe:a9fe", "fc00::1", "fe80::abcd", "ff02::1", "not-an-ip"])
      expect({ ip, pub: isPublicAddress(ip) }).toEqual({ ip, pub: false });
    expect(hostRefusal("https://api.openai.com")).toBeNull();
    const dns = (answers: Record<string, string[]>) => async (h: string) => answers[h] ?? Promise.reject(Object.assign(new Error("nx"), { code: "ENOTFOUND" }));
    expect(await publicUrlRefusal("https://api.example.com/x", dns({ "api.example.com": ["93.184.216.34"] }))).toBeNull();
    expect(await publicUrlRefusal("https://rebind.example.com", dns({ "rebind.example.com": ["127.0.0.1"] }))).toMatch(/non-public/);
    expect(await publicUrlRefusal("https://mixed.example.com", dns({ "mixed.example.com": ["93.184.216.34", "10.0.0.5"] }))).toMatch(/non-public/);
    expect(await publicUrlRefusal("https://v6.example.com", dns({ "v6.example.com": ["::ffff:169.254.169.254"] }))).toMatch(/non-public/);
    expect(await publicUrlRefusal("https://gone.example.com", dns({}))).toMatch(/does not resolve/);
  });
});

describe("SSRF through an organization's SSO issuer URL", () => {
  const save = (issuer: string, enabled: boolean) =>
    call(ssoRoute.PUT, "/api/v1/org/sso", { method: "PUT", body: { issuer, clientId: "probe", clientSecret: "probe-client-secret-0123456789", allowedDomains: "probe.example.com", defaultRole: "CFO", enabled } });

  it("refuses private, link-local and internal issuers, enabled or not, without fetching them", async () => {
    signInAs(t.users.ADMIN.id, t.org.id);
    for (const issuer of ["https://169.254.169.254", "https://10.0.0.1/realms/x", "https://[fd00::1]", "https://metadata.google.internal"]) {
      for (const enabled of [false, true]) {
        const r = await save(issuer, enabled);
        expect({ issuer, enabled, status: r.status }).toEqual({ issuer, enabled, status: 422 });
        expect(r.json.error.issues[0].path).toBe("body.issuer");
      }
    }
    expect(await prisma.orgSsoConfig.count({ where: { organizationId: t.org.id } })).toBe(0);
  });

  it("a loopback issuer (local testing) is refused once the app runs on a real address: no probing the server's own ports", async () => {
    signInAs(t.users.ADMIN.id, t.org.id);
    const prev = process.env.NEXTAUTH_URL;
    process.env.NEXTAUTH_URL = "https://tokenhedge.example.com";
    try {
      const before = connections;
      for (const issuer of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
        const r = await save(issuer, true);
        expect(r.status).toBe(422);
        expect(r.json.error.issues[0]).toMatchObject({ path: "body.issuer", message: expect.stringMatching(/public address/) });
      }
      expect(connections).toBe(before);
    } finally {
      if (prev === undefined) delete process.env.NEXTAUTH_URL;
      else process.env.NEXTAUTH_URL = prev;
    }
    // the app on localhost (tests, e2e): a provider on this machine is still allowed (saved disabled: no fetch)
    const local = await save(`http://127.0.0.1:${port}`, false);
    expect(local.status).toBe(200);
    await prisma.orgSsoConfig.deleteMany({ where: { organizationId: t.org.id } });
  });
});

describe("account takeover through another org's single sign-on", () => {
  it("an org's identity provider cannot sign in as a user of another org; new e-mails are provisioned, members sign in", async () => {
    // the attacker signs up an org, points its SSO at an identity provider they run, and claims the victim's domain
    const attacker = await makeOrg("probe5-idp");
    const victimOrg = await makeOrg("probe5-victim");
    const domain = `victim-${attacker.org.id.slice(-6)}.example`;
    const issuer = "https://idp.attacker.example";
    await prisma.orgSsoConfig.create({
      data: { organizationId: attacker.org.id, issuer, clientId: "x", clientSecretEnc: seal("attacker-secret", attacker.org.id, "sso client secret"), allowedDomains: [domain], defaultRole: "CFO", enabled: true },
    });
    const victim = await prisma.user.create({ data: { email: `ceo@${domain}`, name: "Victim CEO", passwordHash: null } });
    await prisma.membership.create({ data: { organizationId: victimOrg.org.id, userId: victim.id, role: "ADMIN" } });
    const provider = ssoProviderId(attacker.org.slug);

    const r = await completeSsoSignIn(provider, { iss: issuer, sub: "forged", email: `CEO@${domain}`, email_verified: true });
    expect(r).toEqual({ ok: false, reason: "existing" });
    expect(await prisma.membership.findMany({ where: { userId: victim.id }, select: { organizationId: true } })).toEqual([{ organizationId: victimOrg.org.id }]);
    expect(await prisma.auditEvent.count({ where: { organizationId: attacker.org.id, action: "sso.refused", data: { path: ["reason"], equals: "existing" } } })).toBe(1);

    // a new e-mail is still provisioned just in time; once a member (e.g. invited), the existing account signs in
    const fresh = await completeSsoSignIn(provider, { iss: issuer, sub: "new", email: `new@${domain}`, email_verified: true });
    expect(fresh).toMatchObject({ ok: true, user: { email: `new@${domain}`, orgId: attacker.org.id, role: "CFO" } });
    await prisma.membership.create({ data: { organizationId: attacker.org.id, userId: victim.id, role: "PROCUREMENT" } });
    expect(await completeSsoSignIn(provider, { iss: issuer, sub: "ceo", email: `ceo@${domain}`, email_verified: true })).toMatchObject({ ok: true, user: { id: victim.id, orgId: attacker.org.id, role: "PROCUREMENT" } });
  });
});

describe("control characters in the new capabilities' text fields are a 422 naming the field, not a 500", () => {
  it("connectors: name, base URL and admin key (the key travels in an HTTP header: printable ASCII only)", async () => {
    signInAs(t.users.ADMIN.id, t.org.id);
    const body = { provider: "OPENAI", name: "nul", adminKey: KEY, startDate: "2026-10-01" };
    for (const [field, bad] of [["name", "a\u0000b"], ["baseUrl", "https://api.example.com/v1\u0000"], ["adminKey", "sk-admin-\u0000ProbeSession5Key012345"], ["adminKey", "sk-admin-ProbeSession5Kéy012345"]] as const) {
      const r = await call(connectorsRoute.POST, "/api/v1/connectors", { method: "POST", body: { ...body, [field]: bad } });
      expect({ field, status: r.status }).toEqual({ field, status: 422 });
      expect(r.json.error.issues.map((i: { path: string }) => i.path)).toContain(`body.${field}`);
    }
    const ok = await call(connectorsRoute.POST, "/api/v1/connectors", { method: "POST", body: { ...body, name: "control chars" } });
    expect(ok.status).toBe(201);
    const patched = await call(connectorRoute.PATCH, `/api/v1/connectors/${ok.json.id}`, { method: "PATCH", params: { id: ok.json.id }, body: { name: "x\u0000" } });
    expect([patched.status, patched.json.error.issues[0].path]).toEqual([422, "body.name"]);
  });

  it("SSO settings: issuer and client id", async () => {
    signInAs(t.users.ADMIN.id, t.org.id);
    const body = { issuer: "https://login.example.com", clientId: "client", clientSecret: "secret-value-0123456789", allowedDomains: "probe.example.com", defaultRole: "CFO", enabled: false };
    for (const [field, bad] of [["clientId", "a\u0000b"], ["issuer", "https://login.example.com/t\u0000"]] as const) {
      const r = await call(ssoRoute.PUT, "/api/v1/org/sso", { method: "PUT", body: { ...body, [field]: bad } });
      expect({ field, status: r.status, path: r.json.error?.issues?.[0]?.path }).toEqual({ field, status: 422, path: `body.${field}` });
      expect(r.text).not.toContain("secret-value");
    }
  });

  it("service-terms amendment comment", async () => {
    const cp = await prisma.counterparty.create({ data: { organizationId: t.org.id, name: "Probe desk", rating: "A", limitUsd: "100000000" } });
    const product = await prisma.contractProduct.create({
      data: { organizationId: t.org.id, providerId: t.provider.id, modelClassId: t.cls.id, quantityTokens: 1_000_000_000n, windowStart: new Date("2026-11-01T00:00:00Z"), windowEnd: new Date("2027-01-01T00:00:00Z"), strikeUsdPerMTokens: "2.5", settlement: "FINANCIAL" },
    });
    const c = await prisma.contract.create({
      data: { organizationId: t.org.id, reference: "P5-NUL", productId: product.id, counterpartyId: cp.id, status: "BOOKED", substitutionRule: "SUCCESSOR_SAME_STRIKE", bookedByName: "Pat", bookedAt: new Date("2026-10-01T10:00:00Z"), idempotencyKey: "p5-nul-key", requestHash: "p5-nul" },
    });
    signInAs(t.users.PROCUREMENT.id, t.org.id);
    const r = await call(termsRoute.PUT, `/api/v1/contracts/${c.id}/service-terms`, { method: "PUT", params: { id: c.id }, body: { serviceTerms: { reservedTokensPerMinute: 1000 }, comment: "agreed\u0000 on the phone" } });
    expect([r.status, r.json.error?.issues?.[0]?.path]).toEqual([422, "body.comment"]);
    const ok = await call(termsRoute.PUT, `/api/v1/contracts/${c.id}/service-terms`, { method: "PUT", params: { id: c.id }, body: { serviceTerms: { reservedTokensPerMinute: 1000 }, comment: "agreed on the phone" } });
    expect(ok.status).toBe(200);
  });

  it("sign-up: organization name and name", async () => {
    const prev = process.env.SIGNUP;
    process.env.SIGNUP = "open";
    try {
      const email = `nul.${Date.now()}@probe5.example.com`;
      const r = await signUpAction({ orgName: "Nul\u0000 Co", name: "N\u0000", email, password: "saffron-glacier-beacon" });
      expect(r).toEqual({ ok: false, message: "Check the highlighted fields.", fields: { orgName: "must not contain control characters", name: "must not contain control characters" } });
      expect(await prisma.user.count({ where: { email } })).toBe(0);
    } finally {
      if (prev === undefined) delete process.env.SIGNUP;
      else process.env.SIGNUP = prev;
    }
  });
});

describe("the stored connector key cannot be redirected to another address", () => {
  it("a new base URL without the admin key is refused; with the key, or back to the provider's address, it is saved", async () => {
    signInAs(t.users.ADMIN.id, t.org.id);
    const c = await call(connectorsRoute.POST, "/api/v1/connectors", { method: "POST", body: { provider: "ANTHROPIC", name: "redirect probe", adminKey: KEY, startDate: "2026-10-01" } });
    expect(c.status).toBe(201);
    const patch = (body: object) => call(connectorRoute.PATCH, `/api/v1/connectors/${c.json.id}`, { method: "PATCH", params: { id: c.json.id }, body });
    const stolen = await patch({ baseUrl: "https://collector.attacker.example" });
    expect([stolen.status, stolen.json.error.issues[0].path]).toEqual([422, "body.adminKey"]);
    expect((await prisma.usageConnector.findUniqueOrThrow({ where: { id: c.json.id } })).baseUrl).toBeNull();
    const withKey = await patch({ baseUrl: "https://gateway.example.com", adminKey: KEY });
    expect([withKey.status, withKey.json.baseUrl]).toEqual([200, "https://gateway.example.com"]);
    expect((await patch({ name: "renamed probe" })).status).toBe(200);
    const back = await patch({ baseUrl: "" });
    expect([back.status, back.json.baseUrl]).toEqual([200, null]);
  });
});

describe("starter catalog under a double click", () => {
  it("concurrent confirmations add the list once, and none fails", async () => {
    const fresh = await makeOrg("probe5-starter");
    signInAs(fresh.users.ADMIN.id, fresh.org.id);
    const models = await prisma.model.count({ where: { organizationId: fresh.org.id } });
    const rs = await Promise.all([0, 1, 2].map(() => call(starterRoute.POST, "/api/v1/org/starter", { method: "POST", body: { confirm: true } })));
    expect(rs.map((r) => r.status)).toEqual([201, 201, 201]);
    const added = rs.map((r) => r.json.added as number).sort((x, y) => y - x);
    expect(added[0]).toBeGreaterThan(0);
    expect(added.slice(1)).toEqual([0, 0]);
    expect(await prisma.model.count({ where: { organizationId: fresh.org.id } })).toBe(models + added[0]);
  });
});

/**
 * Runs fns while another transaction holds `table` in SHARE ROW EXCLUSIVE mode: reads go through, inserts wait.
 * So concurrent sign-ups all pass their "is it free?" check before any inserts — the race, made deterministic —
 * unless the code serializes them first. Released once at least `waiters` backends wait on a lock.
 */
async function lineUp<T>(table: "User" | "Organization", waiters: number, fns: (() => Promise<T>)[]) {
  let results!: Promise<PromiseSettledResult<T>[]>;
  await prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`LOCK TABLE "${table}" IN SHARE ROW EXCLUSIVE MODE`);
      results = Promise.allSettled(fns.map((f) => f()));
      for (let i = 0; i < 100; i++) {
        const [{ n }] = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
        if (n >= waiters) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    { timeout: 20_000 },
  );
  return results;
}

describe("sign-up under a double submit", () => {
  it("the same e-mail at once: one account, the other told it exists (409 naming the field)", async () => {
    const email = `double.${Date.now()}@probe5.example.com`;
    const ip = () => `198.51.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const rs = await lineUp("User", 2, [1, 2].map(() => () => signUpOrganization({ orgName: `Double ${email}`, name: "D", email, password: "saffron-glacier-beacon" }, ip())));
    expect(rs.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of rs.filter((x) => x.status === "rejected")) expect((r as PromiseRejectedResult).reason).toMatchObject({ status: 409, issues: [{ path: "body.email" }] });
    expect(await prisma.user.count({ where: { email } })).toBe(1);
  });

  it("the same organization name from different people at once: each gets its own slug", async () => {
    const orgName = `Same Name ${Date.now()}`;
    const ip = () => `198.52.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const rs = await lineUp("Organization", 2, [1, 2].map((i) => () => signUpOrganization({ orgName, name: "S", email: `same${i}.${Date.now()}@probe5.example.com`, password: "saffron-glacier-beacon" }, ip())));
    expect(rs.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    expect(new Set(rs.map((r) => (r as PromiseFulfilledResult<{ slug: string }>).value.slug)).size).toBe(2);
  });
});

describe("NUL characters anywhere in a JSON body or query", () => {
  it("are refused with a 422 naming the field, on every JSON endpoint (one rule in the handler), never a 500", async () => {
    const t = await makeOrg("p5-nul-any");
    signInAs(t.users.ADMIN.id, t.org.id);
    const teams = await import("@/app/api/v1/teams/route");
    const r = await call(teams.POST, "/api/v1/teams", { method: "POST", body: { name: "t\u0000x" } });
    expect(r.status).toBe(422);
    expect(r.json.error.issues).toEqual([{ path: "body.name", message: "must not contain the NUL character (U+0000)" }]);
    // nested values and keys
    const nested = await call(teams.POST, "/api/v1/teams", { method: "POST", body: { name: "ok", extra: [{ ["k\u0000"]: 1 }] } });
    expect(nested.status).toBe(422);
    expect(nested.json.error.issues[0].path).toBe("body.extra.0");
    const usage = await import("@/app/api/v1/usage/route");
    const q = await call(usage.GET, "/api/v1/usage?bucket=month&groupBy=class&teamId=a%00b");
    expect(q.status).toBe(422);
    expect(q.json.error.issues[0].path).toBe("query.teamId");
    expect(await prisma.team.count({ where: { organizationId: t.org.id } })).toBe(2);
  });
});
