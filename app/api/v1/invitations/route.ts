import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { inviteByMail, listInvitations } from "@/lib/services/identity";

export const GET = handle(api.listInvitations, ({ ctx }) => listInvitations(ctx));
export const POST = handle(api.createInvitation, ({ ctx, body, req }) => inviteByMail(ctx, body, req.nextUrl.origin));
