/**
 * Connector admin keys at rest: AES-256-GCM (node:crypto), a fresh 96-bit IV per value, the organization id as
 * additional authenticated data (a ciphertext copied to another organization's row does not decrypt).
 * The key: DATA_ENCRYPTION_KEY (≥ 32 characters) when set, else derived with HKDF-SHA256 from the session
 * secret (lib/env.ts authSecret: NEXTAUTH_SECRET or the generated .data/auth-secret). Either way it comes from
 * the environment, never from the database. Changing it makes stored keys unreadable: syncs then fail with a
 * clear error and the admin enters the key again.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { authSecret } from "@/lib/env";

const VERSION = "v1";

function key(): Buffer {
  const given = process.env.DATA_ENCRYPTION_KEY;
  if (given !== undefined && given.length < 32) throw new Error("DATA_ENCRYPTION_KEY must be at least 32 characters");
  const ikm = given || authSecret();
  return Buffer.from(hkdfSync("sha256", ikm, "tokenhedge", "connector admin keys", 32));
}

export function sealSecret(plain: string, orgId: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key(), iv);
  c.setAAD(Buffer.from(orgId));
  const ct = Buffer.concat([c.update(plain, "utf8"), c.final()]);
  return `${VERSION}:${Buffer.concat([iv, c.getAuthTag(), ct]).toString("base64")}`;
}

export function openSecret(sealed: string, orgId: string): string {
  const [v, body] = sealed.split(":", 2);
  if (v !== VERSION || !body) throw new Error("unknown key format");
  const raw = Buffer.from(body, "base64");
  const d = createDecipheriv("aes-256-gcm", key(), raw.subarray(0, 12));
  d.setAAD(Buffer.from(orgId));
  d.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString("utf8");
}

/** What the API and pages show of a key: its kind prefix and last four characters. */
export function secretHint(plain: string): string {
  const prefix = /^(sk-ant-admin\d*-|sk-admin-|sk-)/.exec(plain)?.[1] ?? "";
  return `${prefix}…${plain.slice(-4)}`;
}
