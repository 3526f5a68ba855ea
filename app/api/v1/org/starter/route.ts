import { handle } from "@/lib/api/handler";
import { api } from "@/lib/api/spec";
import { addStarterCatalog, STARTER, starterChecklist } from "@/lib/services/starter";

export const GET = handle(api.getStarter, async ({ ctx }) => ({ checklist: await starterChecklist(ctx), starter: STARTER }));
export const POST = handle(api.addStarterCatalog, ({ ctx, body }) => addStarterCatalog(ctx, body));
