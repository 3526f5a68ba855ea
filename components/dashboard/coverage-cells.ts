import type { CoverageCellView, CoverageView } from "@/lib/services/hedging/dashboard";

/**
 * What the coverage chart and table show of a cell. The dashboard sends these to the browser once, for both (the
 * table is a client component so the page carries the grid's data rather than its rendered markup twice).
 */
export type CoverageGridCell = Pick<
  CoverageCellView,
  "classId" | "month" | "status" | "coveragePct" | "contractedTokens" | "pendingTokens" | "p10Tokens" | "p50Tokens" | "p90Tokens" | "bandMinPct" | "bandMaxPct" | "bandMinTokens" | "bandMaxTokens"
>;
export type CoverageGrid = { months: string[]; classes: { id: string; name: string }[]; cells: CoverageGridCell[]; totals: { classId: string; coveragePct: string | null }[] };

export function coverageGrid(view: CoverageView): CoverageGrid {
  return {
    months: view.months,
    classes: view.classes,
    cells: view.cells.map(({ classId, month, status, coveragePct, contractedTokens, pendingTokens, p10Tokens, p50Tokens, p90Tokens, bandMinPct, bandMaxPct, bandMinTokens, bandMaxTokens }) => ({
      classId, month, status, coveragePct, contractedTokens, pendingTokens, p10Tokens, p50Tokens, p90Tokens, bandMinPct, bandMaxPct, bandMinTokens, bandMaxTokens,
    })),
    totals: view.totals.map(({ classId, coveragePct }) => ({ classId, coveragePct })),
  };
}
