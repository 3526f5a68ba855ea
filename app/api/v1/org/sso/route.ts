import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { getSsoSettings, saveSsoSettings } from "@/lib/services/sso";

export const GET = handle(api.getSso, ({ ctx, req }) => getSsoSettings(ctx, req.nextUrl.origin));
export const PUT = handle(api.updateSso, ({ ctx, body, req }) => saveSsoSettings(ctx, body, req.nextUrl.origin));
