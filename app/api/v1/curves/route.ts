import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { prisma } from "@/lib/db/client";

export const GET = handle(api.curves, async ({ ctx, query }) => {
  const classes = await prisma.modelClass.findMany({ where: { organizationId: ctx.orgId, ...(query.modelClass ? { key: query.modelClass } : {}) } });
  const out = [];
  for (const c of classes) {
    const curve = await prisma.forwardCurve.findFirst({
      where: { organizationId: ctx.orgId, modelClassId: c.id, ...(query.asOf ? { asOf: { lte: new Date(`${query.asOf}T00:00:00Z`) } } : {}) },
      orderBy: { asOf: "desc" },
      include: { points: { orderBy: { deliveryMonth: "asc" }, omit: { id: true, curveId: true } } },
    });
    out.push({ modelClass: c.key, curve });
  }
  return out;
});
