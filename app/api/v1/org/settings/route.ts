import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { getSettings, updateSettings } from "@/lib/services/org";
import { enqueue, JOBS } from "@/lib/jobs/queue";

export const GET = handle(api.getSettings, ({ ctx }) => getSettings(ctx));

export const PATCH = handle(api.updateSettings, async ({ ctx, body }) => {
  const settings = await updateSettings(ctx, body);
  // curve flags depend on these parameters: rebuild today's curves with them
  if (body.curve) await enqueue(JOBS.rebuildCurves, { orgId: ctx.orgId, reason: "settings changed" }).catch(() => undefined);
  return settings;
});
