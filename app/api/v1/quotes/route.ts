import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { importQuotes, listQuotes } from "@/lib/services/quotes";
import { enqueueAfterImport } from "@/lib/jobs/queue";

export const GET = handle(api.listQuotes, ({ ctx, query }) => listQuotes(ctx, query));
export const POST = handle(api.postQuotes, async ({ ctx, body }) => {
  const r = await importQuotes(ctx, body.quotes, { fileName: "api", firstLine: 0 });
  if (r.status === "COMPLETED") await enqueueAfterImport(ctx.orgId, "quotes");
  return r;
});
