import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { latestRecommendations } from "@/lib/services/hedging/recommendations";

export const GET = handle(api.recommendations, ({ ctx, query }) => latestRecommendations(ctx, query));
