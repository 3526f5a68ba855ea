import { redirect } from "next/navigation";
import { sessionCtx, type Ctx } from "./context";
import type { Role } from "@/lib/generated/prisma/enums";

/** For server pages: signed-in user with one of `roles`, else redirect (sign-in) or render 403 via notFound-like page. */
export async function pageCtx(roles?: readonly Role[]): Promise<Ctx & { role: Role }> {
  const ctx = await sessionCtx();
  if (!ctx || ctx.role === "API") redirect("/sign-in");
  if (roles && !roles.includes(ctx.role)) redirect("/forbidden");
  return ctx as Ctx & { role: Role };
}
