import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { createOverride, listOverrides } from "@/lib/services/forecasts";

export const GET = handle(api.listOverrides, ({ ctx }) => listOverrides(ctx));
export const POST = handle(api.createOverride, ({ ctx, body }) => createOverride(ctx, body));
