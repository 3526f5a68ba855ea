import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { coverageCsv, coverageView } from "@/lib/services/hedging/dashboard";

export const GET = handle(api.coverage, async ({ ctx, query }) => {
  const view = await coverageView(ctx);
  if (query.format === "json") return view;
  return new Response(coverageCsv(view), {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="coverage-${view.asOf}.csv"` },
  });
});
