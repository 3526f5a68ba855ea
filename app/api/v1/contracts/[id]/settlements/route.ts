import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { statementCsv } from "@/lib/domain/settlement";
import { settlementStatement } from "@/lib/services/hedging/settlements";

export const GET = handle(api.contractSettlements, async ({ ctx, params, query }) => {
  const statement = await settlementStatement(ctx, params.id);
  if (query.format === "json") return statement;
  const fileName = `${statement.contract.reference.replace(/[^\w.-]+/g, "_")}-settlements.csv`;
  return new Response(statementCsv(statement.contract.reference, statement.rows), {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${fileName}"` },
  });
});
