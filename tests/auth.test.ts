import { beforeAll, describe, expect, it } from "vitest";
import { authenticate, INVALID_MESSAGE, THROTTLED_MESSAGE } from "@/lib/auth/credentials";
import { prisma } from "@/lib/db/client";
import { makeOrg, PASSWORD, type TestOrg } from "./fixtures";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { decode, encode } from "next-auth/jwt";
import { accountDelayMs } from "@/lib/auth/throttle";
import { clientIp, PEER_HEADER, trustedProxies } from "@/lib/auth/client-ip";
import { resolveAuthSecret, RETIRED_DEMO_SECRET, secretFile } from "@/lib/auth/secret";
import { authOptions, SESSION_MAX_AGE_S } from "@/lib/auth/options";

let o: TestOrg;
beforeAll(async () => {
  o = await makeOrg("auth");
});

describe("credentials sign-in", () => {
  it("returns the membership's org, role and team for a correct password", async () => {
    const u = await authenticate({ email: o.users.TEAM_LEAD.email.toUpperCase(), password: PASSWORD }, "10.0.0.1");
    expect(u).toMatchObject({ orgId: o.org.id, role: "TEAM_LEAD", teamId: o.teamA.id });
  });

  it("gives one clear message for a wrong password or unknown email", async () => {
    await expect(authenticate({ email: o.users.CFO.email, password: "wrong" }, "10.0.0.2")).rejects.toThrow(INVALID_MESSAGE);
    await expect(authenticate({ email: "nobody@nowhere.test", password: "x" }, "10.0.0.2")).rejects.toThrow(INVALID_MESSAGE);
  });

  it("rejects malformed input with the reason", async () => {
    await expect(authenticate({ email: "not-an-email", password: "x" }, "10.0.0.3")).rejects.toThrow("Enter a valid email address");
  });

  it("refuses one account from one address after 10 failures, but the owner elsewhere only waits", async () => {
    const email = o.users.PROCUREMENT.email;
    for (let i = 0; i < 10; i++) await expect(authenticate({ email, password: `bad${i}` }, "10.1.0.1")).rejects.toThrow(INVALID_MESSAGE);
    await expect(authenticate({ email, password: PASSWORD }, "10.1.0.1")).rejects.toThrow(THROTTLED_MESSAGE);
    // from another address the account is only delayed (1 s after the 10th failure), not locked
    await expect(authenticate({ email, password: PASSWORD }, "10.1.1.1")).rejects.toThrow(/Try again in 1 seconds/);
    await prisma.loginAttempt.updateMany({ where: { email }, data: { createdAt: new Date(Date.now() - 5_000) } });
    await expect(authenticate({ email, password: PASSWORD }, "10.1.1.1")).resolves.toMatchObject({ role: "PROCUREMENT" });
    // failures older than the window no longer count for the pair either
    await prisma.loginAttempt.updateMany({ where: { email }, data: { createdAt: new Date(Date.now() - 16 * 60 * 1000) } });
    await expect(authenticate({ email, password: PASSWORD }, "10.1.0.1")).resolves.toMatchObject({ role: "PROCUREMENT" });
  });

  it("lets exactly 10 of 40 concurrent wrong guesses through (counted atomically)", async () => {
    const email = o.users.TEAM_LEAD.email; // no earlier failures in this file
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => authenticate({ email, password: `guess${i}` }, "10.4.4.4")));
    const messages = results.map((r) => (r.status === "rejected" ? String((r.reason as Error).message) : "ok"));
    expect(messages.filter((m) => m === INVALID_MESSAGE)).toHaveLength(10);
    expect(messages.filter((m) => m.startsWith(THROTTLED_MESSAGE))).toHaveLength(30);
    expect(await prisma.loginAttempt.count({ where: { email, ip: "10.4.4.4" } })).toBe(10);
  });

  it("refuses an address after 30 failures across accounts (password spraying)", async () => {
    for (let i = 0; i < 30; i++) await expect(authenticate({ email: `x${i}@spray.test`, password: "bad" }, "10.9.9.9")).rejects.toThrow(INVALID_MESSAGE);
    await expect(authenticate({ email: o.users.ADMIN.email, password: PASSWORD }, "10.9.9.9")).rejects.toThrow(THROTTLED_MESSAGE);
    await expect(authenticate({ email: o.users.ADMIN.email, password: PASSWORD }, "10.9.9.10")).resolves.toMatchObject({ role: "ADMIN" });
  });
});

describe("client address for throttling", () => {
  const proxies = trustedProxies("10.0.0.5, 10.0.0.6");
  it("ignores X-Forwarded-For from a client that is not a configured proxy", () => {
    expect(clientIp({ [PEER_HEADER]: "203.0.113.7", "x-forwarded-for": "1.2.3.4" }, proxies)).toBe("203.0.113.7");
    expect(clientIp({ [PEER_HEADER]: "::ffff:203.0.113.7", "x-forwarded-for": "1.2.3.4" }, trustedProxies(""))).toBe("203.0.113.7");
  });
  it("walks X-Forwarded-For from the right through trusted proxies only", () => {
    expect(clientIp({ [PEER_HEADER]: "10.0.0.5", "x-forwarded-for": "6.6.6.6, 198.51.100.2, 10.0.0.6" }, proxies)).toBe("198.51.100.2");
    expect(clientIp({ [PEER_HEADER]: "10.0.0.5", "x-forwarded-for": "198.51.100.2" }, proxies)).toBe("198.51.100.2");
  });
  it("puts requests without the server's peer stamp in one shared bucket", () => {
    expect(clientIp({ "x-forwarded-for": "1.2.3.4" }, proxies)).toBe("unknown");
  });
  it("delays an account progressively, capped", () => {
    expect([9, 10, 11, 15, 40].map(accountDelayMs)).toEqual([0, 1000, 2000, 32000, 60000]);
  });
});

describe("session secret", () => {
  const dir = () => mkdtempSync(path.join(tmpdir(), "th-secret-"));
  it("is never the retired constant and is generated per install, mode 0600, stable across restarts", () => {
    const root = dir();
    const a = resolveAuthSecret({ DEMO_MODE: "1" } as unknown as NodeJS.ProcessEnv, root);
    expect(a).not.toBe(RETIRED_DEMO_SECRET);
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(statSync(secretFile(root)).mode & 0o777).toBe(0o600);
    expect(resolveAuthSecret({ DEMO_MODE: "1" } as unknown as NodeJS.ProcessEnv, root)).toBe(a);
    expect(resolveAuthSecret({ DEMO_MODE: "1" } as unknown as NodeJS.ProcessEnv, dir())).not.toBe(a);
  });
  it("refuses to start with DEMO_MODE=0 and no secret, or with the published constant", () => {
    expect(() => resolveAuthSecret({ DEMO_MODE: "0" } as unknown as NodeJS.ProcessEnv, dir())).toThrow(/NEXTAUTH_SECRET: is required/);
    expect(() => resolveAuthSecret({ NEXTAUTH_SECRET: RETIRED_DEMO_SECRET } as unknown as NodeJS.ProcessEnv, dir())).toThrow(/published/);
  });
  it("rejects a cookie forged with the old constant", async () => {
    const forged = await encode({ secret: RETIRED_DEMO_SECRET, token: { uid: o.users.ADMIN.id, orgId: o.org.id, sv: 0 } });
    await expect(decode({ secret: authOptions.secret!, token: forged })).rejects.toThrow();
  });
  it("issues tokens that expire with the cookie (8 h)", async () => {
    const t = await encode({ secret: authOptions.secret!, token: { uid: "u" }, maxAge: authOptions.jwt!.maxAge });
    const d = await decode({ secret: authOptions.secret!, token: t });
    expect(Number(d!.exp) - Number(d!.iat)).toBe(SESSION_MAX_AGE_S);
    expect(authOptions.session!.maxAge).toBe(SESSION_MAX_AGE_S);
  });
});
