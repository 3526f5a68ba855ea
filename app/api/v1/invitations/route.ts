import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { inviteLink } from "@/lib/auth/tokens";
import { createInvitation, listInvitations } from "@/lib/services/identity";

export const GET = handle(api.listInvitations, ({ ctx }) => listInvitations(ctx));
export const POST = handle(api.createInvitation, async ({ ctx, body, req }) => {
  const { token, ...invitation } = await createInvitation(ctx, body);
  return { ...invitation, link: inviteLink(token, req.nextUrl.origin) };
});
