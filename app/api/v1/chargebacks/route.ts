import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { chargebackCsv, chargebackFileName, chargebackStatement } from "@/lib/services/hedging/chargebacks";

export const GET = handle(api.chargebacks, async ({ ctx, query }) => {
  const statement = await chargebackStatement(ctx, query);
  if (query.format === "json") return statement;
  return new Response(chargebackCsv(statement), {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${chargebackFileName(statement)}"` },
  });
});
