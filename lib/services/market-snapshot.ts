import Decimal from "decimal.js";
import { prisma } from "@/lib/db/client";
import { monthKey } from "@/lib/domain/time";
import type { CurvePrices } from "@/lib/domain/pricing";

export type ClassCurve = {
  curveId: string;
  modelClassId: string;
  asOf: Date;
  spot: Decimal | null;
  /** month → price: the spot for the curve's own month, forward points after it */
  prices: CurvePrices;
  points: { month: string; price: Decimal; kind: string; quoteCount: number; stale: boolean; wide: boolean; thin: boolean; driftNote: string | null }[];
};

/**
 * The forward curves in force on `asOf` for an org: per class, the latest curve built on or before that day.
 * One query for every class — callers price many classes against the same snapshot.
 */
export async function curvesAsOf(orgId: string, asOf: Date, modelClassIds?: string[]): Promise<Map<string, ClassCurve>> {
  const latest = await prisma.forwardCurve.findMany({
    where: { organizationId: orgId, asOf: { lte: asOf }, ...(modelClassIds ? { modelClassId: { in: modelClassIds } } : {}) },
    distinct: ["modelClassId"],
    orderBy: [{ modelClassId: "asc" }, { asOf: "desc" }],
    include: { points: { orderBy: { deliveryMonth: "asc" } } },
  });
  const out = new Map<string, ClassCurve>();
  for (const fc of latest) {
    const prices = new Map<string, Decimal>();
    const spot = fc.spotUsdPerMTokens ? new Decimal(fc.spotUsdPerMTokens.toString()) : null;
    if (spot) prices.set(monthKey(fc.asOf), spot);
    const points = fc.points.map((p) => ({
      month: monthKey(p.deliveryMonth),
      price: new Decimal(p.priceUsdPerMTokens.toString()),
      kind: p.kind,
      quoteCount: p.quoteCount,
      stale: p.stale,
      wide: p.wide,
      thin: p.thin,
      driftNote: p.driftNote,
    }));
    for (const p of points) prices.set(p.month, p.price);
    out.set(fc.modelClassId, { curveId: fc.id, modelClassId: fc.modelClassId, asOf: fc.asOf, spot, prices, points });
  }
  return out;
}
