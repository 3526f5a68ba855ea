import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { verifyPassword } from "./password";
import { beginAttempt, settleAttempt } from "./throttle";
import type { Role } from "@/lib/generated/prisma/enums";

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address"),
  password: z.string().min(1, "Enter your password"),
});

export type SessionUser = {
  id: string;
  email: string;
  name: string;
  orgId: string;
  role: Role;
  teamId: string | null;
  sessionVersion: number;
};

export const SSO_REQUIRED_MESSAGE = "Your organization requires single sign-on: use “Use single sign-on” below.";

export const THROTTLED_MESSAGE = "Too many failed sign-in attempts.";
const throttledMessage = (ms: number) =>
  `${THROTTLED_MESSAGE} Try again in ${ms >= 60_000 ? `${Math.ceil(ms / 60_000)} minutes` : `${Math.ceil(ms / 1000)} seconds`}.`;
export const INVALID_MESSAGE = "Email or password is incorrect.";

/** Checks credentials with per-account and per-IP throttling. Throws an Error whose message is shown to the user. */
export async function authenticate(raw: unknown, ip: string): Promise<SessionUser> {
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues[0].message);
  const { email, password } = parsed.data;
  const attempt = await beginAttempt(email, ip);
  if (!attempt.allowed) throw new Error(throttledMessage(attempt.retryAfterMs));
  const user = await prisma.user.findUnique({
    where: { email },
    include: { memberships: { where: { deactivatedAt: null }, orderBy: { createdAt: "asc" }, include: { organization: { select: { ssoConfig: { select: { enabled: true, ssoRequired: true } } } } } } },
  });
  const ok = user ? await verifyPassword(user.passwordHash, password) : false;
  await settleAttempt(attempt.attemptId, ok);
  if (!user || !ok) throw new Error(INVALID_MESSAGE);
  if (!user.memberships.length) throw new Error("Your account is not a member of any organization.");
  // orgs whose "SSO required" switch is on accept no password; the session opens in the first org that does
  const m = user.memberships.find((x) => !(x.organization.ssoConfig?.enabled && x.organization.ssoConfig.ssoRequired));
  if (!m) throw new Error(SSO_REQUIRED_MESSAGE);
  return { id: user.id, email: user.email, name: user.name, orgId: m.organizationId, role: m.role, teamId: m.teamId, sessionVersion: user.sessionVersion };
}
