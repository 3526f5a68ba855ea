import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { authSecret } from "@/lib/env";

/**
 * Secrets kept at rest (an org's SSO client secret) are sealed with AES-256-GCM. The key is DATA_ENCRYPTION_KEY
 * when set, else derived (HKDF-SHA256) from the session-signing secret, so a database dump alone never reveals
 * them. The associated data binds a sealed value to its owner: a ciphertext copied to another org's row does
 * not open. Format: v1.<iv>.<tag>.<ciphertext>, base64url.
 */
function key(): Buffer {
  const material = process.env.DATA_ENCRYPTION_KEY || authSecret();
  return Buffer.from(hkdfSync("sha256", material, "tokenhedge-data-encryption", "aes-256-gcm v1", 32));
}

export function seal(plain: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
}

/** Throws when the value was altered, sealed for another owner or with another key. */
export function open(sealed: string, aad: string): string {
  const [v, iv, tag, ct] = sealed.split(".");
  if (v !== "v1" || !iv || !tag || ct === undefined) throw new Error("not a sealed value");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
}
