import { Readable } from "node:stream";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { AppError } from "@/lib/errors";
import { errorReportCsv, importUsage } from "@/lib/services/usage-import";
import { listImports } from "@/lib/services/imports";
import { enqueueAfterImport } from "@/lib/jobs/queue";

export const GET = handle(api.listImports, ({ ctx, query }) => listImports(ctx, query.page, query.pageSize));

export const POST = handle(api.createImport, async ({ ctx, query, req }) => {
  if (!req.body) throw new AppError(422, "empty_file", "Send the file as the request body");
  const body = Readable.fromWeb(req.body as unknown as NodeWebStream<Uint8Array>);
  const result = await importUsage(ctx, { fileName: query.fileName, body, mode: query.mode, onErrors: query.onErrors, uploadId: query.uploadId });
  if (query.report === "csv") {
    const name = `${query.fileName.replace(/[^\w.-]+/g, "_")}-check-errors.csv`;
    return new Response(errorReportCsv(result.errors), { headers: { "content-type": "text/csv", "content-disposition": `attachment; filename="${name}"` } });
  }
  if (result.status === "COMPLETED") await enqueueAfterImport(ctx.orgId, "usage");
  return result;
});
