import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { createConnector, listConnectors } from "@/lib/services/connectors/connectors";

export const GET = handle(api.listConnectors, ({ ctx }) => listConnectors(ctx));
export const POST = handle(api.createConnector, ({ ctx, body }) => createConnector(ctx, body));
