import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { importProgress } from "@/lib/services/imports";

export const GET = handle(api.importProgress, ({ ctx, params }) => importProgress(ctx, params.uploadId));
