import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { monthlyReport, saveCommentary } from "@/lib/services/hedging/report";

export const GET = handle(api.monthlyReport, ({ ctx, query }) => monthlyReport(ctx, query.month));
export const PUT = handle(api.saveReportCommentary, ({ ctx, body }) => saveCommentary(ctx, body));
