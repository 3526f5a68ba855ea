import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { registerCsv, tradeRegister } from "@/lib/services/hedging/accounting";

export const GET = handle(api.tradeRegister, async ({ ctx, query }) => {
  const register = await tradeRegister(ctx);
  if (query.format === "json") return register;
  return new Response(registerCsv(register.lines), {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="trade-register-${register.asOf ?? "unmarked"}.csv"` },
  });
});
