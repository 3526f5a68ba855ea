import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The constant earlier versions fell back to; anything signed with it must never be accepted again. */
export const RETIRED_DEMO_SECRET = "tokenhedge-demo-secret-not-for-production";

export const secretFile = (root = process.cwd()) => path.join(root, ".data", "auth-secret");

/**
 * The key that signs session cookies. NEXTAUTH_SECRET when set (required with DEMO_MODE=0); otherwise a
 * random 48-byte secret generated on first start and kept with the local data in .data/auth-secret (mode
 * 0600), so sessions survive restarts of one local install but no two installs share a key. Never a constant.
 */
export function resolveAuthSecret(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): string {
  const given = env.NEXTAUTH_SECRET;
  if (given) {
    if (given.length < 16) throw new Error("Invalid environment:\n  NEXTAUTH_SECRET: must be at least 16 characters");
    if (given === RETIRED_DEMO_SECRET) throw new Error("Invalid environment:\n  NEXTAUTH_SECRET: this value was published in the source code; generate a random one");
    return given;
  }
  if (env.DEMO_MODE === "0") throw new Error("Invalid environment:\n  NEXTAUTH_SECRET: is required when DEMO_MODE=0");
  const file = secretFile(root);
  if (existsSync(file)) {
    const s = readFileSync(file, "utf8").trim();
    if (s.length >= 32) return s;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  // wx: when two processes start together, the second one fails here and reads the first one's secret
  try {
    writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
  } catch {
    const s = readFileSync(file, "utf8").trim();
    if (s.length >= 32) return s;
    writeFileSync(file, secret, { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  return secret;
}
