import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { createCounterparty, listCounterparties } from "@/lib/services/hedging/counterparties";

export const GET = handle(api.listCounterparties, ({ ctx }) => listCounterparties(ctx));
export const POST = handle(api.createCounterparty, ({ ctx, body }) => createCounterparty(ctx, body));
