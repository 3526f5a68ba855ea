import { createHash, randomBytes } from "node:crypto";

/** A one-time link secret: 256 random bits, URL-safe. Only its sha256 is ever stored. */
export const newLinkToken = () => randomBytes(32).toString("base64url");
export const hashLinkToken = (token: string) => createHash("sha256").update(token).digest("hex");
/** Anything else in a link path is refused before a query runs. */
export const LINK_TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

/** Absolute base for links shown to an admin: NEXTAUTH_URL when configured (behind a proxy), else the request's origin. */
export function appBaseUrl(origin?: string): string {
  return (process.env.NEXTAUTH_URL ?? origin ?? "http://localhost:3000").replace(/\/+$/, "");
}
export const inviteLink = (token: string, origin?: string) => `${appBaseUrl(origin)}/invite/${token}`;
export const resetLink = (token: string, origin?: string) => `${appBaseUrl(origin)}/reset-password/${token}`;
