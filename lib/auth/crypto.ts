import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { authSecret } from "@/lib/env";

/**
 * Every secret kept at rest (an org's SSO client secret, a usage connector's admin key) is sealed here, with
 * AES-256-GCM. The key is DATA_ENCRYPTION_KEY when set, else derived from the session-signing secret, so a
 * database dump alone never reveals them; HKDF-SHA256 derives one key per purpose, so a value sealed for one
 * purpose never opens as another. The associated data binds a sealed value to its owner: a ciphertext copied to
 * another org's row does not open. Format: v1.<iv>.<tag>.<ciphertext>, base64url.
 */
export type SealPurpose = "sso client secret" | "connector admin key";

function key(purpose: SealPurpose): Buffer {
  const material = process.env.DATA_ENCRYPTION_KEY || authSecret();
  return Buffer.from(hkdfSync("sha256", material, "tokenhedge-data-encryption", `aes-256-gcm v1 ${purpose}`, 32));
}

export function seal(plain: string, aad: string, purpose: SealPurpose): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(purpose), iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
}

/** Throws when the value was altered, sealed for another owner or with another key. */
export function open(sealed: string, aad: string, purpose: SealPurpose): string {
  const [v, iv, tag, ct] = sealed.split(".");
  if (v !== "v1" || !iv || !tag || ct === undefined) throw new Error("not a sealed value");
  const decipher = createDecipheriv("aes-256-gcm", key(purpose), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
}
