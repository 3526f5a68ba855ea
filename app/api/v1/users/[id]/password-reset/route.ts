import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { resetByMail } from "@/lib/services/identity";

export const POST = handle(api.createPasswordReset, ({ ctx, params, req }) => resetByMail(ctx, params.id, req.nextUrl.origin));
