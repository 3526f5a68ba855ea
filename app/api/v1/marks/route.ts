import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { markPeriodsCsv, marksCsv, portfolioMarks } from "@/lib/services/hedging/marks";

export const GET = handle(api.marks, async ({ ctx, query }) => {
  const marks = await portfolioMarks(ctx, { asOf: query.asOf });
  if (query.format === "json") return marks ?? { asOf: null, lines: [] };
  const day = marks?.asOf ?? "none";
  const body = query.detail === "periods" ? markPeriodsCsv(marks?.lines ?? []) : marksCsv(day, marks?.lines ?? []);
  return new Response(body, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="marks-${day}${query.detail === "periods" ? "-periods" : ""}.csv"` },
  });
});
