import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { capacityView } from "@/lib/services/hedging/capacity";
import { parseDay } from "@/lib/domain/time";

export const GET = handle(api.capacity, ({ ctx, query }) => capacityView(ctx, query.asOf ? parseDay(query.asOf) : new Date()));
