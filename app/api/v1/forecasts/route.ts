import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { forecastView } from "@/lib/services/forecasts";

export const GET = handle(api.forecast, async ({ ctx, query }) => {
  const v = await forecastView(ctx, query);
  return { forecast: v.base, adjusted: v.adjusted, versions: v.versions };
});
