import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { assertFilterIds, usageBreakdown, usageSeries } from "@/lib/services/usage";

/** Both reads are cached per data version (lib/services/read-cache.ts); the response is api.usage.response. */
export const GET = handle(api.usage, async ({ ctx, query }) => {
  const { bucket, groupBy, ...filter } = query;
  await assertFilterIds(ctx, filter);
  const [series, breakdown] = await Promise.all([usageSeries(ctx, filter, bucket), usageBreakdown(ctx, filter, groupBy)]);
  return { bucket, groupBy, series, breakdown };
});
