"use server";
import { ssoLookupSchema } from "@/lib/validation/sso";
import { findSso } from "@/lib/services/sso";

/** The sign-in page's lookup (no session): which provider id signs in a work e-mail or org ID. */
export async function findSsoAction(who: string): Promise<{ ok: true; providerId: string; orgName: string } | { ok: false; message: string }> {
  const parsed = ssoLookupSchema.safeParse({ who });
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0].message };
  const r = await findSso(parsed.data.who);
  return "message" in r ? { ok: false, message: r.message } : { ok: true, ...r };
}
