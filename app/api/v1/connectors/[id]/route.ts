import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { deleteConnector, getConnector, updateConnector } from "@/lib/services/connectors/connectors";

export const GET = handle(api.getConnector, ({ ctx, params }) => getConnector(ctx, params.id));
export const PATCH = handle(api.updateConnector, ({ ctx, params, body }) => updateConnector(ctx, params.id, body));
export const DELETE = handle(api.deleteConnector, ({ ctx, params }) => deleteConnector(ctx, params.id));
