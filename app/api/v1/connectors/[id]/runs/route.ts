import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { listSyncRuns } from "@/lib/services/connectors/connectors";

export const GET = handle(api.connectorRuns, ({ ctx, params, query }) => listSyncRuns(ctx, params.id, query.page, query.pageSize));
