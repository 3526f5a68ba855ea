import { prisma } from "@/lib/db/client";
import type { Db } from "@/lib/db/client";

/** Invalidates every session cookie issued to the user so far (they carry the old version). */
export async function revokeSessions(userId: string, db: Db = prisma) {
  await db.user.updateMany({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}
