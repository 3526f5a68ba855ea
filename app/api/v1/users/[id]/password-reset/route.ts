import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { resetLink } from "@/lib/auth/tokens";
import { createPasswordReset } from "@/lib/services/identity";

export const POST = handle(api.createPasswordReset, async ({ ctx, params, req }) => {
  const { token, email, expiresAt } = await createPasswordReset(ctx, params.id);
  return { email, expiresAt, link: resetLink(token, req.nextUrl.origin) };
});
