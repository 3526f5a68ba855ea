import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { AppError } from "@/lib/errors";
import { importQuotes, parseQuotesCsv } from "@/lib/services/quotes";
import { enqueueAfterImport } from "@/lib/jobs/queue";

const MAX_QUOTES_BYTES = 50 * 1024 * 1024;

export const POST = handle(api.uploadQuotes, async ({ ctx, query, req }) => {
  const text = await req.text();
  if (!text.trim()) throw new AppError(422, "empty_file", "The file is empty");
  if (text.length > MAX_QUOTES_BYTES) throw new AppError(413, "too_large", "Quote files over 50 MB are not supported");
  const r = await importQuotes(ctx, parseQuotesCsv(text), { fileName: query.fileName });
  if (r.status === "COMPLETED") await enqueueAfterImport(ctx.orgId, "quotes");
  return r;
});
