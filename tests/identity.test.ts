/**
 * Identity (issue 18, first slice): member role/team edits, deactivation, team rename/archive, own password
 * change, admin-issued reset links and invitations, all through the real route handlers and PostgreSQL.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { call, signInAs } from "./route";
import { makeOrg, PASSWORD, type TestOrg } from "./fixtures";
import * as teams from "@/app/api/v1/teams/route";
import * as team from "@/app/api/v1/teams/[id]/route";
import * as users from "@/app/api/v1/users/route";
import * as user from "@/app/api/v1/users/[id]/route";
import * as reset from "@/app/api/v1/users/[id]/password-reset/route";
import * as invitations from "@/app/api/v1/invitations/route";
import * as invitation from "@/app/api/v1/invitations/[id]/route";
import * as accountPassword from "@/app/api/v1/account/password/route";
import { prisma } from "@/lib/db/client";
import { verifyPassword } from "@/lib/auth/password";
import { hashLinkToken } from "@/lib/auth/tokens";
import { acceptInvitation, createInvitation, createOrganizationWithAdminInvite, createPasswordReset, invitationByToken, joinByInvitation, resetPassword } from "@/lib/services/identity";
import * as models from "@/app/api/v1/models/route";
import * as starter from "@/app/api/v1/org/starter/route";
import { authOptions } from "@/lib/auth/options";
import { authenticate } from "@/lib/auth/credentials";
import { signUpOrganization, SIGNUPS_PER_ADDRESS_PER_HOUR, userOrgs } from "@/lib/services/orgs";
import { signUpOpen } from "@/lib/auth/signup-actions";
import { STARTER } from "@/lib/services/starter";
import { throttledLinkUse } from "@/lib/auth/link-throttle";
import { MAX_FAILED_PER_ACCOUNT_IP } from "@/lib/auth/throttle";

vi.mock("@/lib/jobs/queue", async (o) => ({ ...(await o<object>()), enqueue: async () => "job-1", enqueueFollowUp: async () => undefined }));
vi.mock("next-auth", async (o) => ({ ...(await o<object>()), getServerSession: async () => (await import("./route")).session.current }));

let a: TestOrg;
let b: TestOrg;
beforeAll(async () => {
  a = await makeOrg("id-a");
  b = await makeOrg("id-b");
});
const as = async (o: TestOrg, role: keyof TestOrg["users"]) => {
  const u = await prisma.user.findUniqueOrThrow({ where: { id: o.users[role].id } });
  signInAs(u.id, o.org.id, u.sessionVersion);
};
const tokenOf = (link: string) => link.split("/").pop()!;
const auditOf = (o: TestOrg, action: string, entityId: string) => prisma.auditEvent.findMany({ where: { organizationId: o.org.id, action, entityId } });

describe("members: role, team, deactivation", () => {
  it("an admin changes a member's role and team; a team lead needs a team; audited; foreign ids 404", async () => {
    await as(a, "ADMIN");
    const id = a.users.PROCUREMENT.id;
    const noTeam = await call(user.PATCH, "/x", { method: "PATCH", params: { id }, body: { role: "TEAM_LEAD" } });
    expect(noTeam.status).toBe(422);
    expect(noTeam.json.error.issues.map((i: { path: string }) => i.path)).toContain("body.teamId");
    const foreignTeam = await call(user.PATCH, "/x", { method: "PATCH", params: { id }, body: { role: "TEAM_LEAD", teamId: b.teamA.id } });
    expect(foreignTeam.status).toBe(422);
    expect(foreignTeam.json.error.issues[0].path).toBe("body.teamId");

    const ok = await call(user.PATCH, "/x", { method: "PATCH", params: { id }, body: { role: "TEAM_LEAD", teamId: a.teamB.id } });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ role: "TEAM_LEAD", teamId: a.teamB.id, active: true });
    const m = await prisma.membership.findUniqueOrThrow({ where: { organizationId_userId: { organizationId: a.org.id, userId: id } } });
    expect([m.role, m.teamId]).toEqual(["TEAM_LEAD", a.teamB.id]);
    const [ev] = await auditOf(a, "user.roleChanged", id);
    expect(ev.data).toMatchObject({ from: { role: "PROCUREMENT", teamId: null }, to: { role: "TEAM_LEAD", teamId: a.teamB.id } });

    // back to procurement: the team is dropped
    const back = await call(user.PATCH, "/x", { method: "PATCH", params: { id }, body: { role: "PROCUREMENT" } });
    expect(back.json).toMatchObject({ role: "PROCUREMENT", teamId: null });

    await as(b, "ADMIN");
    expect((await call(user.PATCH, "/x", { method: "PATCH", params: { id }, body: { role: "CFO" } })).status).toBe(404);
    await as(a, "ADMIN");
    const self = await call(user.PATCH, "/x", { method: "PATCH", params: { id: a.users.ADMIN.id }, body: { role: "CFO" } });
    expect(self.status).toBe(422);
    expect(self.json.error.issues[0].path).toBe("body.role");
  });

  it("deactivation ends access on the next request, even with a fresh sign-in; reactivation restores it", async () => {
    await as(a, "CFO");
    expect((await call(teams.GET, "/api/v1/teams")).status).toBe(200);
    await as(a, "ADMIN");
    const off = await call(user.PATCH, "/x", { method: "PATCH", params: { id: a.users.CFO.id }, body: { active: false } });
    expect(off.status).toBe(200);
    expect(off.json.active).toBe(false);
    // the old cookie (version 0) and a new sign-in with the current version are both refused
    signInAs(a.users.CFO.id, a.org.id, 0);
    expect((await call(teams.GET, "/api/v1/teams")).status).toBe(401);
    await as(a, "CFO");
    expect((await call(teams.GET, "/api/v1/teams")).status).toBe(401);
    expect(await auditOf(a, "user.deactivated", a.users.CFO.id)).toHaveLength(1);

    await as(a, "ADMIN");
    const listed = await call(users.GET, "/api/v1/users");
    expect(listed.json.find((m: { userId: string }) => m.userId === a.users.CFO.id).deactivatedAt).not.toBeNull();
    expect((await call(user.PATCH, "/x", { method: "PATCH", params: { id: a.users.CFO.id }, body: { active: true } })).json.active).toBe(true);
    await as(a, "CFO");
    expect((await call(teams.GET, "/api/v1/teams")).status).toBe(200);
    expect(await auditOf(a, "user.reactivated", a.users.CFO.id)).toHaveLength(1);
  });
});

describe("teams: rename, archive, restore", () => {
  it("renames (409 on a duplicate name), archives (hidden from pickers, history kept), restores; audited", async () => {
    await as(a, "ADMIN");
    const created = await call(teams.POST, "/api/v1/teams", { method: "POST", body: { name: "Legacy" } });
    const id = created.json.id;
    const dup = await call(team.PATCH, "/x", { method: "PATCH", params: { id }, body: { name: "Support" } });
    expect(dup.status).toBe(409);
    expect((await call(team.PATCH, "/x", { method: "PATCH", params: { id }, body: { name: "Legacy bots" } })).json.name).toBe("Legacy bots");
    expect(await auditOf(a, "team.renamed", id)).toHaveLength(1);

    // a team with a team lead bound cannot be archived
    const bound = await call(team.PATCH, "/x", { method: "PATCH", params: { id: a.teamA.id }, body: { archived: true } });
    expect(bound.status).toBe(409);
    expect(bound.json.error.issues[0].path).toBe("body.archived");

    const archived = await call(team.PATCH, "/x", { method: "PATCH", params: { id }, body: { archived: true } });
    expect(archived.status).toBe(200);
    expect(archived.json.archivedAt).not.toBeNull();
    const names = (await call(teams.GET, "/api/v1/teams")).json.map((t: { name: string }) => t.name);
    expect(names).not.toContain("Legacy bots");
    expect(names).toContain("Support");
    expect(await prisma.team.findUnique({ where: { id } })).not.toBeNull();
    // not assignable while archived
    const assign = await call(users.POST, "/api/v1/users", { method: "POST", body: { email: "arch@id-a.test", name: "Arch", role: "TEAM_LEAD", teamId: id, password: "sturdy-otter-lantern" } });
    expect(assign.status).toBe(422);
    expect(assign.json.error.issues[0].path).toBe("body.teamId");

    await call(team.PATCH, "/x", { method: "PATCH", params: { id }, body: { archived: false } });
    expect((await call(teams.GET, "/api/v1/teams")).json.map((t: { name: string }) => t.name)).toContain("Legacy bots");
    expect((await auditOf(a, "team.archived", id)).length + (await auditOf(a, "team.restored", id)).length).toBe(2);

    await as(b, "ADMIN");
    expect((await call(team.PATCH, "/x", { method: "PATCH", params: { id }, body: { archived: true } })).status).toBe(404);
  });
});

describe("own password", () => {
  it("needs the current password, refuses weak and common ones, and revokes every session on change", async () => {
    await as(a, "PROCUREMENT");
    const url = "/api/v1/account/password";
    const wrong = await call(accountPassword.POST, url, { method: "POST", body: { currentPassword: "not-it-at-all", newPassword: "violet-harbor-compass" } });
    expect(wrong.status).toBe(422);
    expect(wrong.json.error.issues[0].path).toBe("body.currentPassword");
    for (const weak of ["short-one", "qwerty123456", "Password1234!", "dragondragon", "aaaaaaaaaaaaaa"]) {
      const r = await call(accountPassword.POST, url, { method: "POST", body: { currentPassword: PASSWORD, newPassword: weak } });
      expect(r.status, weak).toBe(422);
      expect(r.json.error.issues[0].path).toBe("body.newPassword");
    }
    const u0 = await prisma.user.findUniqueOrThrow({ where: { id: a.users.PROCUREMENT.id } });
    expect(await verifyPassword(u0.passwordHash, PASSWORD)).toBe(true);

    const ok = await call(accountPassword.POST, url, { method: "POST", body: { currentPassword: PASSWORD, newPassword: "violet-harbor-compass" } });
    expect(ok.status).toBe(201);
    // the session that changed it is signed out too
    expect((await call(teams.GET, "/api/v1/teams")).status).toBe(401);
    const u1 = await prisma.user.findUniqueOrThrow({ where: { id: a.users.PROCUREMENT.id } });
    expect(u1.sessionVersion).toBe(u0.sessionVersion + 1);
    expect(await verifyPassword(u1.passwordHash, "violet-harbor-compass")).toBe(true);
    expect(await auditOf(a, "user.passwordChanged", u1.id)).toHaveLength(1);
  });
});

describe("password reset links", () => {
  it("one-time, stored hashed, 24 h; revokes sessions; cannot be reused, used after expiry, or after leaving the org", async () => {
    await as(a, "ADMIN");
    const uid = a.users.TEAM_LEAD.id;
    const issued = await call(reset.POST, "/x", { method: "POST", params: { id: uid } });
    expect(issued.status).toBe(201);
    const token = tokenOf(issued.json.link);
    expect(issued.json.link).toContain("/reset-password/");
    expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(16);
    const row = await prisma.passwordReset.findUniqueOrThrow({ where: { tokenHash: hashLinkToken(token) } });
    expect(row.tokenHash).not.toContain(token);
    expect(Math.abs(row.expiresAt.getTime() - Date.now() - 24 * 3600_000)).toBeLessThan(60_000);

    await as(b, "ADMIN");
    expect((await call(reset.POST, "/x", { method: "POST", params: { id: uid } })).status).toBe(404);

    await expect(resetPassword(token, { password: "password12345" })).rejects.toMatchObject({ status: 422 });
    const before = (await prisma.user.findUniqueOrThrow({ where: { id: uid } })).sessionVersion;
    await resetPassword(token, { password: "granite-meadow-falcon" });
    const after = await prisma.user.findUniqueOrThrow({ where: { id: uid } });
    expect(after.sessionVersion).toBe(before + 1);
    expect(await verifyPassword(after.passwordHash, "granite-meadow-falcon")).toBe(true);
    await expect(resetPassword(token, { password: "another-strong-phrase" })).rejects.toMatchObject({ code: "invalid_link" });

    // expired
    await as(a, "ADMIN");
    const t2 = tokenOf((await call(reset.POST, "/x", { method: "POST", params: { id: uid } })).json.link);
    await prisma.passwordReset.update({ where: { tokenHash: hashLinkToken(t2) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(resetPassword(t2, { password: "another-strong-phrase" })).rejects.toMatchObject({ code: "invalid_link" });

    // a link issued before the member left org A stops working
    const t3 = tokenOf((await call(reset.POST, "/x", { method: "POST", params: { id: a.users.CFO.id } })).json.link);
    await call(user.PATCH, "/x", { method: "PATCH", params: { id: a.users.CFO.id }, body: { active: false } });
    await expect(resetPassword(t3, { password: "another-strong-phrase" })).rejects.toMatchObject({ code: "invalid_link" });
    await call(user.PATCH, "/x", { method: "PATCH", params: { id: a.users.CFO.id }, body: { active: true } });
    await expect(resetPassword("x".repeat(43), { password: "another-strong-phrase" })).rejects.toMatchObject({ code: "invalid_link" });
  });
});

describe("invitations", () => {
  it("admin invites; the link is single use and creates exactly one membership, in the inviting org only", async () => {
    await as(a, "ADMIN");
    const email = `new.lead.${Date.now()}@id.test`;
    const noTeam = await call(invitations.POST, "/api/v1/invitations", { method: "POST", body: { email, role: "TEAM_LEAD" } });
    expect(noTeam.status).toBe(422);
    expect(noTeam.json.error.issues[0].path).toBe("body.teamId");
    const taken = await call(invitations.POST, "/api/v1/invitations", { method: "POST", body: { email: a.users.CFO.email, role: "CFO" } });
    expect(taken.status).toBe(409);
    const r = await call(invitations.POST, "/api/v1/invitations", { method: "POST", body: { email, role: "TEAM_LEAD", teamId: a.teamB.id } });
    expect(r.status).toBe(201);
    const token = tokenOf(r.json.link);
    expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(16);
    const row = await prisma.invitation.findUniqueOrThrow({ where: { id: r.json.id } });
    expect(row.tokenHash).toBe(hashLinkToken(token));
    expect(Math.abs(row.expiresAt.getTime() - Date.now() - 7 * 86_400_000)).toBeLessThan(60_000);
    expect((await call(invitations.GET, "/api/v1/invitations")).json.map((i: { id: string }) => i.id)).toContain(r.json.id);
    await as(b, "ADMIN");
    expect((await call(invitations.GET, "/api/v1/invitations")).json.map((i: { id: string }) => i.id)).not.toContain(r.json.id);
    expect((await call(invitation.DELETE, "/x", { method: "DELETE", params: { id: r.json.id } })).status).toBe(404);

    expect(await invitationByToken(token)).toMatchObject({ email, role: "TEAM_LEAD", orgName: a.org.name });
    await expect(acceptInvitation(token, { name: "Nia", password: "1qaz2wsx3edc" })).rejects.toMatchObject({ status: 422 });
    // concurrent acceptance: exactly one wins
    const results = await Promise.allSettled([1, 2, 3].map(() => acceptInvitation(token, { name: "Nia Lead", password: "cobalt-river-sparrow" })));
    expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    const created = await prisma.user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });
    expect(created.memberships).toHaveLength(1);
    expect(created.memberships[0]).toMatchObject({ organizationId: a.org.id, role: "TEAM_LEAD", teamId: a.teamB.id });
    expect(await verifyPassword(created.passwordHash, "cobalt-river-sparrow")).toBe(true);
    await expect(acceptInvitation(token, { name: "Again", password: "cobalt-river-sparrow" })).rejects.toMatchObject({ code: "invalid_link" });
    expect(await invitationByToken(token)).toBeNull();

    // the new member reaches org A, and nothing of org B
    signInAs(created.id, a.org.id, 0);
    expect((await call(teams.GET, "/api/v1/teams")).status).toBe(200);
    signInAs(created.id, b.org.id, 0);
    expect((await call(teams.GET, "/api/v1/teams")).status).toBe(401);
    expect(await prisma.auditEvent.count({ where: { organizationId: a.org.id, action: "invitation.accepted", entityId: r.json.id } })).toBe(1);
  });

  it("revoked or expired invitations cannot be used", async () => {
    await as(a, "ADMIN");
    const r1 = await call(invitations.POST, "/api/v1/invitations", { method: "POST", body: { email: `rev.${Date.now()}@id.test`, role: "CFO" } });
    expect((await call(invitation.DELETE, "/x", { method: "DELETE", params: { id: r1.json.id } })).status).toBe(200);
    await expect(acceptInvitation(tokenOf(r1.json.link), { name: "R", password: "cobalt-river-sparrow" })).rejects.toMatchObject({ code: "invalid_link" });

    const r2 = await call(invitations.POST, "/api/v1/invitations", { method: "POST", body: { email: `exp.${Date.now()}@id.test`, role: "CFO" } });
    await prisma.invitation.update({ where: { id: r2.json.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(acceptInvitation(tokenOf(r2.json.link), { name: "E", password: "cobalt-river-sparrow" })).rejects.toMatchObject({ code: "invalid_link" });
    expect(await prisma.user.count({ where: { email: { in: [r1.json.email, r2.json.email] } } })).toBe(0);
  });

  it("links that sign in as a person are issued by a person, never by an API token", async () => {
    const tokenCtx = { ...a.ctx("ADMIN"), actorId: null, role: "API" as const, actorName: "API token th_xxxxx" };
    await expect(createInvitation(tokenCtx, { email: `tok.${Date.now()}@id.test`, role: "ADMIN" })).rejects.toMatchObject({ status: 403 });
    await expect(createPasswordReset(tokenCtx, a.users.ADMIN.id)).rejects.toMatchObject({ status: 403 });
  });

  it("invalid links are throttled per address", async () => {
    const ip = `10.77.${Math.floor(Math.random() * 250)}.1`;
    for (let i = 0; i < MAX_FAILED_PER_ACCOUNT_IP; i++) {
      await expect(throttledLinkUse("invite", ip, () => acceptInvitation(`g${i}`.padEnd(43, "x"), { name: "G", password: "cobalt-river-sparrow" }))).rejects.toMatchObject({ code: "invalid_link" });
    }
    await expect(throttledLinkUse("invite", ip, async () => "never")).rejects.toMatchObject({ status: 429 });
  });

  it("org:create makes an empty org whose first admin joins through the printed invitation", async () => {
    const email = `founder.${Date.now()}@id.test`;
    const r = await createOrganizationWithAdminInvite({ name: "Acme Robotics", adminEmail: email });
    expect(await prisma.membership.count({ where: { organizationId: r.orgId } })).toBe(0);
    await acceptInvitation(r.token, { name: "Founder", password: "saffron-glacier-beacon" });
    const u = await prisma.user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });
    expect(u.memberships.map((m) => [m.organizationId, m.role])).toEqual([[r.orgId, "ADMIN"]]);
  });
});

describe("several organizations per user", () => {
  type Jwt = (p: { token: Record<string, unknown>; trigger?: string; session?: unknown }) => Promise<Record<string, unknown>>;
  const jwt = authOptions.callbacks!.jwt as unknown as Jwt;

  it("an invited user with an account joins with it; switches to the other org and sees only its data; cannot switch to an org they are not in", async () => {
    const email = `two.orgs.${Date.now()}@id.test`;
    const user = await prisma.user.create({ data: { email, name: "Two Orgs", passwordHash: (await prisma.user.findUniqueOrThrow({ where: { id: a.users.CFO.id } })).passwordHash } });
    await prisma.membership.create({ data: { organizationId: a.org.id, userId: user.id, role: "CFO" } });

    // B's admin invites the same e-mail; the account joins B without a new password
    await as(b, "ADMIN");
    const inv = await call(invitations.POST, "/api/v1/invitations", { method: "POST", body: { email, role: "PROCUREMENT" } });
    expect(inv.status).toBe(201);
    expect(await invitationByToken(tokenOf(inv.json.link))).toMatchObject({ hasAccount: true });
    await expect(acceptInvitation(tokenOf(inv.json.link), { name: "X", password: "cobalt-river-sparrow" })).rejects.toMatchObject({ status: 409 });
    await expect(joinByInvitation(tokenOf(inv.json.link), a.users.ADMIN.id)).rejects.toMatchObject({ status: 403 });
    await joinByInvitation(tokenOf(inv.json.link), user.id);
    await expect(joinByInvitation(tokenOf(inv.json.link), user.id)).rejects.toMatchObject({ code: "invalid_link" });
    // inviting a current member again is a conflict naming the field
    const again = await call(invitations.POST, "/api/v1/invitations", { method: "POST", body: { email, role: "CFO" } });
    expect([again.status, again.json.error.issues[0].path]).toEqual([409, "body.email"]);

    const orgs = await userOrgs({ actorId: user.id, orgId: a.org.id }, "password");
    expect(orgs.map((o) => [o.orgId, o.current, o.available]).sort()).toEqual([[a.org.id, true, true], [b.org.id, false, true]].sort());

    // the session starts in A; the switch re-issues it for B
    const started = await jwt({ token: { uid: user.id, orgId: a.org.id, sv: 0, via: "password" } });
    expect(started.orgId).toBe(a.org.id);
    const switched = await jwt({ token: { ...started }, trigger: "update", session: { orgId: b.org.id } });
    expect(switched.orgId).toBe(b.org.id);
    signInAs(user.id, switched.orgId as string, 0);
    const seen = await call(teams.GET, "/api/v1/teams");
    expect(seen.status).toBe(200);
    const ids = seen.json.map((t: { id: string }) => t.id);
    expect(ids.sort()).toEqual([b.teamA.id, b.teamB.id].sort());
    expect(ids).not.toContain(a.teamA.id);
    const catalog = await call(models.GET, "/api/v1/models");
    expect(catalog.json.every((m: { id: string }) => [b.gpt.id, b.mini.id].includes(m.id))).toBe(true);

    // an org they are not a member of: the switch leaves the session where it was, and a forged org is refused
    const c = await makeOrg("id-c");
    expect((await jwt({ token: { ...switched }, trigger: "update", session: { orgId: c.org.id } })).orgId).toBe(b.org.id);
    signInAs(user.id, c.org.id, 0);
    expect((await call(teams.GET, "/api/v1/teams")).status).toBe(401);
    // deactivated in B: no switching there, and a B session ends at its next request
    await prisma.membership.update({ where: { organizationId_userId: { organizationId: b.org.id, userId: user.id } }, data: { deactivatedAt: new Date() } });
    expect((await jwt({ token: { ...started }, trigger: "update", session: { orgId: b.org.id } })).orgId).toBe(a.org.id);
    signInAs(user.id, b.org.id, 0);
    expect((await call(teams.GET, "/api/v1/teams")).status).toBe(401);
  });
});

describe("sign-up and the new org's checklist", () => {
  it("sign-up is closed unless SIGNUP=open", async () => {
    const before = process.env.SIGNUP;
    delete process.env.SIGNUP;
    expect(await signUpOpen()).toBe(false);
    process.env.SIGNUP = "closed";
    expect(await signUpOpen()).toBe(false);
    process.env.SIGNUP = "open";
    expect(await signUpOpen()).toBe(true);
    if (before === undefined) delete process.env.SIGNUP;
    else process.env.SIGNUP = before;
  });

  it("creates an empty org and its admin (audited), refuses weak passwords and taken e-mails, and is rate-limited per address", async () => {
    const ip = `10.77.${Date.now() % 250}.9`;
    const email = `founder.signup.${Date.now()}@id.test`;
    await expect(signUpOrganization({ orgName: "Weak Co", name: "W", email, password: "password1234" }, ip)).rejects.toMatchObject({ status: 422, issues: [{ path: "body.password" }] });
    const r = await signUpOrganization({ orgName: "Signup Co", name: "Founder", email, password: "saffron-glacier-beacon" }, ip);
    const u = await prisma.user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });
    expect(u.memberships.map((m) => [m.organizationId, m.role])).toEqual([[r.orgId, "ADMIN"]]);
    expect((await authenticate({ email, password: "saffron-glacier-beacon" }, ip)).orgId).toBe(r.orgId);
    const [ev] = await prisma.auditEvent.findMany({ where: { organizationId: r.orgId, action: "organization.created" } });
    expect(ev.data).toMatchObject({ via: "sign-up", adminEmail: email });
    expect(await prisma.team.count({ where: { organizationId: r.orgId } })).toBe(0);
    await expect(signUpOrganization({ orgName: "Again", name: "F", email, password: "saffron-glacier-beacon" }, ip)).rejects.toMatchObject({ status: 409, issues: [{ path: "body.email" }] });
    // the refused attempts above count too: the address has used 2 of its hourly sign-ups
    for (let i = 2; i < SIGNUPS_PER_ADDRESS_PER_HOUR; i++) await signUpOrganization({ orgName: `Org ${i}`, name: "F", email: `f${i}.${Date.now()}@id.test`, password: "saffron-glacier-beacon" }, ip);
    await expect(signUpOrganization({ orgName: "One more", name: "F", email: `late.${Date.now()}@id.test`, password: "saffron-glacier-beacon" }, ip)).rejects.toMatchObject({ status: 429 });
    // another address is not affected
    await signUpOrganization({ orgName: "Elsewhere", name: "F", email: `else.${Date.now()}@id.test`, password: "saffron-glacier-beacon" }, `${ip}0`);
  });

  it("the checklist ticks from real data; the starter list is added only when the admin confirms it", async () => {
    const email = `checklist.${Date.now()}@id.test`;
    const r = await signUpOrganization({ orgName: "Checklist Co", name: "Admin", email, password: "saffron-glacier-beacon" }, `10.78.${Date.now() % 250}.1`);
    const admin = await prisma.user.findUniqueOrThrow({ where: { email } });
    signInAs(admin.id, r.orgId, admin.sessionVersion);
    const state = async () => Object.fromEntries((await call(starter.GET, "/api/v1/org/starter")).json.checklist.items.map((i: { key: string; done: boolean }) => [i.key, i.done]));
    expect(await state()).toEqual({ teams: false, catalog: false, usage: false, quotes: false });

    expect((await call(teams.POST, "/api/v1/teams", { method: "POST", body: { name: "Platform" } })).status).toBe(201);
    expect(await state()).toMatchObject({ teams: true, catalog: false });

    const unconfirmed = await call(starter.POST, "/api/v1/org/starter", { method: "POST", body: { confirm: false } });
    expect([unconfirmed.status, unconfirmed.json.error.issues[0].path]).toEqual([422, "body.confirm"]);
    expect(await prisma.model.count({ where: { organizationId: r.orgId } })).toBe(0);
    const added = await call(starter.POST, "/api/v1/org/starter", { method: "POST", body: { confirm: true } });
    expect(added.status).toBe(201);
    expect(added.json.added).toBe(STARTER.models.length);
    const sonnet = await prisma.model.findFirstOrThrow({ where: { organizationId: r.orgId, name: "claude-sonnet-4" }, include: { prices: true, modelClass: true } });
    expect(sonnet.modelClass.key).toBe("general-chat");
    expect(sonnet.prices.map((p) => [p.effectiveFrom.toISOString().slice(0, 10), p.inputUsdPerMTokens.toString(), p.outputUsdPerMTokens.toString()])).toEqual([[STARTER.pricesAsOf, "3", "15"]]);
    expect(await state()).toMatchObject({ teams: true, catalog: true, usage: false, quotes: false });
    // a second time adds nothing and keeps what is there
    expect((await call(starter.POST, "/api/v1/org/starter", { method: "POST", body: { confirm: true } })).json.added).toBe(0);
    expect(await prisma.auditEvent.count({ where: { organizationId: r.orgId, action: "catalog.starterAdded" } })).toBe(2);

    const cls = sonnet.modelClassId;
    await prisma.priceQuote.create({ data: { organizationId: r.orgId, modelClassId: cls, kind: "FORWARD", source: "Desk", sourceType: "BROKER", deliveryMonth: new Date("2027-01-01"), midUsdPerMTokens: "2.5", asOf: new Date() } });
    expect(await state()).toMatchObject({ quotes: true, usage: false });
    // a failed import is not a first import
    await prisma.import.create({ data: { organizationId: r.orgId, kind: "USAGE", fileName: "u.csv", fileHash: "x", format: "tokenhedge", status: "FAILED" } });
    expect((await state()).usage).toBe(false);
    await prisma.import.create({ data: { organizationId: r.orgId, kind: "USAGE", fileName: "u.csv", fileHash: "y", format: "tokenhedge", status: "COMPLETED" } });
    expect(await state()).toEqual({ teams: true, catalog: true, usage: true, quotes: true });
  });
});
