import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { scenarioAnswer } from "@/lib/services/hedging/dashboard";

// also answered by the web server itself for session cookies (lib/web/direct-api.ts): the same service call
export const GET = handle(api.scenario, ({ ctx, query }) => scenarioAnswer(ctx, query));
