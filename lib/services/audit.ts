import type { Db } from "@/lib/db/client";
import type { Ctx } from "@/lib/auth/context";

/** Every change an admin or integration makes leaves a row: who, when, what. */
export async function audit(db: Db, ctx: Ctx, action: string, entity: string, entityId: string | null, data: object = {}) {
  await db.auditEvent.create({
    data: { organizationId: ctx.orgId, actorId: ctx.actorId, action, entity, entityId, data: { ...data, actor: ctx.actorName } },
  });
}
