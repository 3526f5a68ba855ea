/**
 * Content Security Policy with a fresh nonce per page request (SECURITY.md "Browser protections").
 *
 * The web server (scripts/web-server.ts) calls `applyCsp` on every request before Next sees it. For a page it
 * draws 128 random bits, writes the policy on the response and on the *request* — Next reads the nonce back
 * from the request's `Content-Security-Policy` header and puts it on every script tag it renders, so only the
 * scripts Next itself emits run. Whatever CSP header a client sent is overwritten first, so a client cannot
 * choose the nonce. `'strict-dynamic'` lets those nonced scripts load Next's code-split chunks.
 *
 * Styles keep `'unsafe-inline'`: React and the chart library set `style` attributes, which nonces cannot cover,
 * and styles cannot run code.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** Every part of the policy that does not depend on the nonce. */
const COMMON = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

/** The policy of an HTML page. Dev mode adds `'unsafe-eval'`, which Next's hot reloading needs. */
export function pagePolicy(nonce: string, dev = false): string {
  const script = `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`;
  return [COMMON[0], script, ...COMMON.slice(1)].join("; ");
}

/** JSON, CSV and static files never run scripts. */
export const NON_PAGE_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/** Paths that are not server-rendered pages: the API, Next's build assets and image optimiser, the icon. */
export function isPagePath(url: string | undefined): boolean {
  const path = (url ?? "/").split("?", 1)[0];
  return !(path.startsWith("/api/") || path === "/api" || path.startsWith("/_next/static/") || path.startsWith("/_next/image") || path === "/icon.svg" || path === "/favicon.ico");
}

/**
 * Sets the policy on the response and, for pages, hands the nonce to Next through the request. Returns the
 * page's nonce (null for non-page paths): the page cache puts it into a stored page (lib/web/page-cache.ts).
 */
export function applyCsp(req: IncomingMessage, res: ServerResponse, dev = false): string | null {
  delete req.headers["content-security-policy"];
  delete req.headers["content-security-policy-report-only"];
  if (!isPagePath(req.url)) {
    res.setHeader("Content-Security-Policy", NON_PAGE_POLICY);
    return null;
  }
  const nonce = newNonce();
  const policy = pagePolicy(nonce, dev);
  req.headers["content-security-policy"] = policy;
  res.setHeader("Content-Security-Policy", policy);
  return nonce;
}
