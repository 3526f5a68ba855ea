/**
 * Connector admin keys at rest: sealed by lib/auth/crypto.ts (AES-256-GCM, a key of their own derived from
 * DATA_ENCRYPTION_KEY or the session secret, the organization id as associated data — a ciphertext copied to
 * another organization's row does not open). Changing the key makes stored keys unreadable: syncs then fail with
 * a clear error and the admin enters the key again.
 */
import { open, seal } from "@/lib/auth/crypto";

export const sealSecret = (plain: string, orgId: string) => seal(plain, orgId, "connector admin key");
export const openSecret = (sealed: string, orgId: string) => open(sealed, orgId, "connector admin key");

/** What the API and pages show of a key: its kind prefix and last four characters. */
export function secretHint(plain: string): string {
  const prefix = /^(sk-ant-admin\d*-|sk-admin-|sk-)/.exec(plain)?.[1] ?? "";
  return `${prefix}…${plain.slice(-4)}`;
}
