import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { requestSync } from "@/lib/services/connectors/connectors";

export const POST = handle(api.syncConnector, ({ ctx, params }) => requestSync(ctx, params.id));
