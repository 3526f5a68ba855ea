"use server";
import { headers } from "next/headers";
import { clientIp } from "./client-ip";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { signUpSchema } from "@/lib/validation/signup";
import { signUpOrganization } from "@/lib/services/orgs";

export type SignUpResult = { ok: true; email: string } | { ok: false; message: string; fields: Record<string, string> };

/** Public: only while SIGNUP=open (read per request, so closing it needs no rebuild). Rate-limited per address. */
export const signUpOpen = async () => process.env.SIGNUP === "open";

export async function signUpAction(input: { orgName: string; name: string; email: string; password: string }): Promise<SignUpResult> {
  if (!(await signUpOpen())) return { ok: false, message: "Sign-up is closed. Ask your operator for an invitation.", fields: {} };
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((i) => [i.path.map(String).join("."), i.message]));
    return { ok: false, message: "Check the highlighted fields.", fields };
  }
  // PostgreSQL text refuses NUL (the sign-up would fail as "Something went wrong"): name the field instead
  const control = (["orgName", "name"] as const).filter((f) => /[\u0000-\u001f\u007f]/.test(parsed.data[f]));
  if (control.length) return { ok: false, message: "Check the highlighted fields.", fields: Object.fromEntries(control.map((f) => [f, "must not contain control characters"])) };
  try {
    const r = await signUpOrganization(parsed.data, clientIp(await headers()));
    return { ok: true, email: r.email };
  } catch (e) {
    if (e instanceof AppError) {
      const fields = Object.fromEntries((e.issues ?? []).map((i) => [i.path.replace(/^body\./, ""), i.message]));
      return { ok: false, message: e.message, fields };
    }
    log.error({ err: e }, "sign-up failed");
    return { ok: false, message: "Something went wrong. Try again.", fields: {} };
  }
}
