import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { listJobRuns } from "@/lib/services/admin";

export const GET = handle(api.listJobRuns, async ({ ctx, query }) => {
  const [rows, total] = await listJobRuns(ctx, query.page, query.pageSize);
  return { rows, total, page: query.page, pageSize: query.pageSize };
});
