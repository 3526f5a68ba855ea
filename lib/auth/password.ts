import { readFileSync } from "node:fs";
import path from "node:path";
import { hash, verify } from "@node-rs/argon2";
import { badRequest } from "@/lib/errors";

export const hashPassword = (plain: string) => hash(plain, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
/** False for a user without a password (created by single sign-on). */
export const verifyPassword = async (hashed: string | null, plain: string) => (hashed ? verify(hashed, plain).catch(() => false) : false);

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;

let common: Set<string> | null = null;
/** The shipped list (lib/auth/common-passwords.txt), read once per process. */
function commonPasswords(): Set<string> {
  if (!common) {
    const file = path.join(process.cwd(), "lib/auth/common-passwords.txt");
    common = new Set(readFileSync(file, "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#")));
  }
  return common;
}

/**
 * Why a new password is refused, or null when it is acceptable: too short or long, too few distinct
 * characters, or a common password — also when only padded with digits or symbols ("password1234!") or
 * repeated ("qwertyqwerty"), since those are the first variations a guesser tries.
 */
export function passwordProblem(plain: string, context: { email?: string; name?: string } = {}): string | null {
  if (plain.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (plain.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  if (new Set(plain).size < 5) return "must use at least 5 different characters";
  const lower = plain.toLowerCase();
  const stripped = lower.replace(/^[\d\W_]+|[\d\W_]+$/g, "");
  const unit = lower.match(/^(.+?)\1+$/)?.[1];
  const list = commonPasswords();
  for (const candidate of [lower, stripped, unit]) {
    if (candidate && candidate.length >= 4 && list.has(candidate)) return "is too common; choose a less predictable password";
  }
  const local = context.email?.split("@")[0]?.toLowerCase();
  if (local && local.length >= 4 && (stripped === local || lower.includes(context.email!.toLowerCase()))) return "must not be based on your email address";
  if (context.name && context.name.trim().length >= 4 && stripped === context.name.trim().toLowerCase().replace(/\s+/g, "")) return "must not be your name";
  return null;
}

/** A 422 naming the body `field` when the password is too weak. */
export function assertStrongPassword(plain: string, field: string, context: { email?: string; name?: string } = {}) {
  const problem = passwordProblem(plain, context);
  if (problem) throw badRequest(`${field}: ${problem}`, [{ path: `body.${field}`, message: problem }]);
}
