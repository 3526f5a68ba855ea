/**
 * Invitations and reset links through SMTP (issue 18): a real SMTP server from the smtp-server package listens
 * on a loopback port; SMTP_URL points the app's nodemailer transport at it. The message must arrive with the
 * link, and the link must work exactly once.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { call, signInAs } from "./route";
import { makeOrg, type TestOrg } from "./fixtures";
import * as invitations from "@/app/api/v1/invitations/route";
import * as reset from "@/app/api/v1/users/[id]/password-reset/route";
import { prisma } from "@/lib/db/client";
import { verifyPassword } from "@/lib/auth/password";
import { acceptInvitation, resetPassword } from "@/lib/services/identity";

vi.mock("next-auth", async (o) => ({ ...(await o<object>()), getServerSession: async () => (await import("./route")).session.current }));

type Received = { from: string; to: string[]; raw: string };
const inbox: Received[] = [];
let server: SMTPServer;
let a: TestOrg;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        inbox.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  a = await makeOrg("mail");
});
afterAll(async () => {
  delete process.env.SMTP_URL;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const useSmtp = () => (process.env.SMTP_URL = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`);
const as = async (role: keyof TestOrg["users"]) => {
  const u = await prisma.user.findUniqueOrThrow({ where: { id: a.users[role].id } });
  signInAs(u.id, a.org.id, u.sessionVersion);
};
/** The link in the text part; quoted-printable soft breaks (=\r\n) are joined first. */
const linkIn = (raw: string, path: string) => {
  const body = raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  const m = body.match(new RegExp(`https?://[^\\s"<]+/${path}/([A-Za-z0-9_-]{43})`));
  return m ? { url: m[0], token: m[1] } : null;
};
const waitForMail = async (to: string) => {
  for (let i = 0; i < 50; i++) {
    const m = inbox.find((x) => x.to.includes(to));
    if (m) return m;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no mail to ${to}`);
};

describe("mail transport", () => {
  it("without SMTP_URL the admin is shown the invitation link and nothing is sent", async () => {
    delete process.env.SMTP_URL;
    await as("ADMIN");
    const email = `shown.${Date.now()}@mail.test`;
    const r = await call(invitations.POST, "/api/v1/invitations", { method: "POST", body: { email, role: "CFO" } });
    expect(r.status).toBe(201);
    expect(r.json.mailed).toBe(false);
    expect(r.json.link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(inbox.some((m) => m.to.includes(email))).toBe(false);
  });

  it("with SMTP_URL an invitation is mailed through the SMTP server, the link is not returned, and it works once", async () => {
    useSmtp();
    await as("ADMIN");
    const email = `mailed.${Date.now()}@mail.test`;
    const r = await call(invitations.POST, "http://app.example/api/v1/invitations", { method: "POST", body: { email, role: "PROCUREMENT" } });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ email, mailed: true, link: null });
    const mail = await waitForMail(email);
    expect(mail.to).toEqual([email]);
    expect(mail.raw).toMatch(new RegExp(`Subject: You are invited to ${a.org.name}`));
    const link = linkIn(mail.raw, "invite");
    expect(link?.url.startsWith(`${process.env.NEXTAUTH_URL ?? "http://app.example"}/invite/`)).toBe(true);
    const accepted = await acceptInvitation(link!.token, { name: "Mailed Person", password: "cobalt-river-sparrow" });
    expect(accepted).toMatchObject({ email, orgId: a.org.id });
    const m = await prisma.membership.findFirstOrThrow({ where: { organizationId: a.org.id, user: { email } } });
    expect(m.role).toBe("PROCUREMENT");
    await expect(acceptInvitation(link!.token, { name: "Again", password: "cobalt-river-sparrow" })).rejects.toMatchObject({ code: "invalid_link" });
  });

  it("with SMTP_URL a reset link is mailed to the member and sets the password once", async () => {
    useSmtp();
    await as("ADMIN");
    const r = await call(reset.POST, "/x", { method: "POST", params: { id: a.users.CFO.id } });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ email: a.users.CFO.email, mailed: true, link: null });
    const mail = await waitForMail(a.users.CFO.email);
    const link = linkIn(mail.raw, "reset-password");
    expect(link).not.toBeNull();
    await resetPassword(link!.token, { password: "granite-meadow-lantern" });
    const u = await prisma.user.findUniqueOrThrow({ where: { id: a.users.CFO.id } });
    expect(await verifyPassword(u.passwordHash, "granite-meadow-lantern")).toBe(true);
    await expect(resetPassword(link!.token, { password: "another-good-phrase" })).rejects.toMatchObject({ code: "invalid_link" });
  });

  it("when the SMTP server refuses the message the admin gets the link instead", async () => {
    // a port nothing listens on: the transport fails to connect
    const closed = new SMTPServer({ logger: false });
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
    await as("ADMIN");
    const email = `refused.${Date.now()}@mail.test`;
    const r = await call(invitations.POST, "/api/v1/invitations", { method: "POST", body: { email, role: "CFO" } });
    expect(r.status).toBe(201);
    expect(r.json.mailed).toBe(false);
    expect(r.json.link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  });
});
