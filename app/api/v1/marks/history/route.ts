import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { marksHistory } from "@/lib/services/hedging/marks";

export const GET = handle(api.marksHistory, ({ ctx, query }) => marksHistory(ctx, query));
