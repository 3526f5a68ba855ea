import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { enqueue, JOBS } from "@/lib/jobs/queue";

export const POST = handle(api.runRecommendations, async ({ ctx }) => ({ jobId: await enqueue(JOBS.runRecommendations, { orgId: ctx.orgId, reason: `requested by ${ctx.actorName}` }) }));
