import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { clientIp } from "@/lib/auth/client-ip";
import { changePassword } from "@/lib/services/identity";

export const POST = handle(api.changePassword, ({ ctx, body, req }) => changePassword(ctx, body, clientIp(req.headers)));
