import { handle } from "@/lib/api/handler";
import { jsonResponse } from "@/lib/api/json";
import { api } from "@/lib/api/spec";
import { bookContract, listContracts } from "@/lib/services/hedging/contracts";

export const GET = handle(api.listContracts, ({ ctx, query }) => listContracts(ctx, query));
// a replayed booking answers 200 with the first result; a new one 201
export const POST = handle(api.bookContract, async ({ ctx, body, req }) => {
  const r = await bookContract(ctx, body, req.headers.get("idempotency-key"));
  return jsonResponse(r.contract, r.replayed ? 200 : 201, r.replayed ? { "idempotent-replayed": "true" } : {});
});
