import { notFound, redirect } from "next/navigation";
import { AppError } from "@/lib/errors";
import { sessionCtx, type Ctx } from "./context";
import type { Role } from "@/lib/generated/prisma/enums";

/** For server pages: signed-in user with one of `roles`, else redirect (sign-in) or render 403 via notFound-like page. */
export async function pageCtx(roles?: readonly Role[]): Promise<Ctx & { role: Role }> {
  const ctx = await sessionCtx();
  if (!ctx || ctx.role === "API") redirect("/sign-in");
  if (roles && !roles.includes(ctx.role)) redirect("/forbidden");
  return ctx as Ctx & { role: Role };
}

/**
 * For page data loaded by id from the URL: an unknown or foreign id is a real 404 page (not the error page
 * with status 200), a refused scope goes to /forbidden.
 */
export async function pageData<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof AppError && e.status === 404) notFound();
    if (e instanceof AppError && e.status === 403) redirect("/forbidden");
    throw e;
  }
}
