import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { enqueue, JOBS } from "@/lib/jobs/queue";

export const POST = handle(api.runMarks, async ({ ctx }) => ({ jobId: await enqueue(JOBS.computeMarks, { orgId: ctx.orgId, reason: `requested by ${ctx.actorName}` }) }));
