import { sessionPool } from "@/lib/db/pg";
import type { Role } from "@/lib/generated/prisma/enums";
import type { Ctx } from "./context";
import { sessionMayUseOrg } from "./org-access";

/** What a session token carries (lib/auth/options.ts, callbacks.session). */
export type SessionClaims = { uid?: string; orgId?: string; sv?: number; via?: string };

type MembershipRow = { organizationId: string; userId: string; role: Role; teamId: string | null; orgName: string; isDemo: boolean; userName: string; sessionVersion: number; ssoRequired: boolean };

/** Asked on every request (a prepared statement on the session pool, lib/db/pg.ts: planned once per connection, no ORM layer). */
const MEMBERSHIP_SQL = `
  SELECT m."organizationId", m."userId", m.role::text AS role, m."teamId", o.name AS "orgName", o."isDemo", u.name AS "userName", u."sessionVersion",
         COALESCE(s.enabled AND s."ssoRequired", false) AS "ssoRequired"
    FROM "Membership" m JOIN "Organization" o ON o.id = m."organizationId" JOIN "User" u ON u.id = m."userId"
    LEFT JOIN "OrgSsoConfig" s ON s."organizationId" = m."organizationId"
   WHERE m."organizationId" = $1 AND m."userId" = $2 AND m."deactivatedAt" IS NULL`;

/**
 * The session's membership as a Ctx, or null when the session no longer stands: the membership is gone or
 * deactivated, the user's sessions were revoked (session version), or the org now refuses how it was opened.
 * Shared by every server render and by the web server's page cache (lib/web/page-cache.ts).
 */
export async function membershipCtx(session: SessionClaims | null): Promise<Ctx | null> {
  if (!session?.uid || !session.orgId) return null;
  const { rows } = await sessionPool().query<MembershipRow>({ name: "session-membership", text: MEMBERSHIP_SQL, values: [session.orgId, session.uid] });
  const m = rows[0];
  // revoked by sign-out, password change, deactivation or removal (lib/auth/sessions.ts)
  if (!m || m.sessionVersion !== session.sv) return null;
  if (!sessionMayUseOrg(session.via, m.organizationId, m.ssoRequired)) return null;
  return {
    orgId: m.organizationId,
    orgName: m.orgName,
    isDemo: m.isDemo,
    actorId: m.userId,
    actorName: m.userName,
    role: m.role,
    teamId: m.teamId,
    via: session.via ?? "password",
  };
}

