import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { importErrorsCsv } from "@/lib/services/imports";

export const GET = handle(api.importErrors, async ({ ctx, params }) => {
  const { fileName, csv } = await importErrorsCsv(ctx, params.id);
  return new Response(csv, { headers: { "content-type": "text/csv", "content-disposition": `attachment; filename="${fileName}"` } });
});
