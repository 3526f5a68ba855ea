import type { CoverageCellView } from "@/lib/services/hedging/dashboard";

/** What the coverage chart draws of a cell: the dashboard sends only these fields to the browser (the table beside it is rendered on the server). */
export type CoverageChartCell = Pick<CoverageCellView, "classId" | "month" | "p10Tokens" | "p50Tokens" | "p90Tokens" | "contractedTokens" | "bandMinTokens" | "bandMaxTokens">;
export const chartCell = ({ classId, month, p10Tokens, p50Tokens, p90Tokens, contractedTokens, bandMinTokens, bandMaxTokens }: CoverageCellView): CoverageChartCell => ({ classId, month, p10Tokens, p50Tokens, p90Tokens, contractedTokens, bandMinTokens, bandMaxTokens });
