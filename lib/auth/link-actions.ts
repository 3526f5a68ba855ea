"use server";
import { headers } from "next/headers";
import { clientIp } from "./client-ip";
import { throttledLinkUse } from "./link-throttle";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { acceptInvitationSchema, resetPasswordSchema } from "@/lib/validation/admin";
import { acceptInvitation, joinByInvitation, resetPassword } from "@/lib/services/identity";
import { sessionCtx } from "./context";

/**
 * The two public mutations (no session): accepting an invitation and setting a password through a reset
 * link. They are server actions, like sign-in outside /api/v1, so the API's rule "every route authenticates"
 * stays without exceptions; Next refuses cross-origin action calls, and each use is throttled per address.
 */
export type LinkActionResult = { ok: true; email: string } | { ok: false; message: string; fields: Record<string, string> };

async function run(kind: "invite" | "reset", use: () => Promise<{ email: string }>): Promise<LinkActionResult> {
  try {
    const r = await throttledLinkUse(kind, clientIp(await headers()), use);
    return { ok: true, email: r.email };
  } catch (e) {
    if (e instanceof AppError) {
      const fields = Object.fromEntries((e.issues ?? []).map((i) => [i.path.replace(/^body\./, ""), i.message]));
      return { ok: false, message: e.message, fields };
    }
    log.error({ err: e, kind }, "link action failed");
    return { ok: false, message: "Something went wrong. Try again.", fields: {} };
  }
}

function parsed<T>(r: { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }): T {
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: `body.${i.path.map(String).join(".")}`, message: i.message }));
  throw new AppError(422, "invalid", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
}

export async function acceptInvitationAction(token: string, input: { name: string; password: string }): Promise<LinkActionResult> {
  return run("invite", () => acceptInvitation(String(token), parsed(acceptInvitationSchema.safeParse(input))));
}

export async function resetPasswordAction(token: string, input: { password: string }): Promise<LinkActionResult> {
  return run("reset", () => resetPassword(String(token), parsed(resetPasswordSchema.safeParse(input))));
}

/** Joins the invitation's organization with the signed-in account (its e-mail must be the invitation's). */
export async function joinInvitationAction(token: string): Promise<LinkActionResult> {
  const ctx = await sessionCtx();
  if (!ctx?.actorId) return { ok: false, message: "Sign in first, then open this link again.", fields: {} };
  const userId = ctx.actorId;
  return run("invite", () => joinByInvitation(String(token), userId));
}
