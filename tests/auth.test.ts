import { beforeAll, describe, expect, it } from "vitest";
import { authenticate, INVALID_MESSAGE, THROTTLED_MESSAGE } from "@/lib/auth/credentials";
import { prisma } from "@/lib/db/client";
import { makeOrg, PASSWORD, type TestOrg } from "./fixtures";

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

  it("throttles an account after 10 failures in 15 minutes, even with the right password", async () => {
    const email = o.users.PROCUREMENT.email;
    for (let i = 0; i < 10; i++) await expect(authenticate({ email, password: `bad${i}` }, `10.1.0.${i}`)).rejects.toThrow(INVALID_MESSAGE);
    await expect(authenticate({ email, password: PASSWORD }, "10.1.1.1")).rejects.toThrow(THROTTLED_MESSAGE);
    // failures older than the window no longer count
    await prisma.loginAttempt.updateMany({ where: { email }, data: { createdAt: new Date(Date.now() - 16 * 60 * 1000) } });
    await expect(authenticate({ email, password: PASSWORD }, "10.1.1.1")).resolves.toMatchObject({ role: "PROCUREMENT" });
  });

  it("throttles an IP after 10 failures across accounts", async () => {
    for (let i = 0; i < 10; i++) await expect(authenticate({ email: `x${i}@spray.test`, password: "bad" }, "10.9.9.9")).rejects.toThrow();
    await expect(authenticate({ email: o.users.ADMIN.email, password: PASSWORD }, "10.9.9.9")).rejects.toThrow(THROTTLED_MESSAGE);
    await expect(authenticate({ email: o.users.ADMIN.email, password: PASSWORD }, "10.9.9.10")).resolves.toMatchObject({ role: "ADMIN" });
  });
});
