import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { contractDelivery } from "@/lib/services/hedging/capacity";
import { parseDay } from "@/lib/domain/time";

export const GET = handle(api.contractDelivery, ({ ctx, params, query }) => contractDelivery(ctx, params.id, query.asOf ? parseDay(query.asOf) : new Date()));
