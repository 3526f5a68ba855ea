import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { updateCounterparty } from "@/lib/services/hedging/counterparties";

export const PUT = handle(api.updateCounterparty, ({ ctx, params, body }) => updateCounterparty(ctx, params.id, body));
