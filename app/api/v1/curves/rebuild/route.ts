import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { enqueue, JOBS } from "@/lib/jobs/queue";

export const POST = handle(api.rebuildCurves, async ({ ctx }) => ({ jobId: await enqueue(JOBS.rebuildCurves, { orgId: ctx.orgId, reason: `requested by ${ctx.actorName}` }) }));
