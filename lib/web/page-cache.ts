/**
 * The rendered-page cache of the web server (scripts/web-server.ts), in front of Next.
 *
 * Rendering a page in Next costs 5–20 ms of CPU whatever it shows (a redirect alone costs 5 ms here), so on two
 * cores no per-request render answers fifty concurrent users within 150 ms (README "Read path"). The read pages
 * below depend only on who asks, the URL, the org's data and the UTC day, so their HTML is kept and served
 * again until one of those changes:
 *
 *  - **Key:** the session token itself (hashed), the membership it resolves to (role, team, session version,
 *    the user's orgs for the org switcher), the URL with its query, the org's data version (lib/services/
 *    read-cache.ts: bumped by every import, price change, contract event, audited change and finished job) and
 *    the UTC day. One user's page is never served to another session, nor across a role change, a data change or
 *    midnight.
 *  - **Every hit re-checks the session** exactly as a render would (token signature and expiry, membership
 *    active, session version, the org's SSO rule: lib/auth/context.ts `membershipCtx`); anything else goes to
 *    Next, which answers as it always does (sign-in redirect, 403).
 *  - **The CSP nonce stays per response:** the stored HTML's nonce is replaced by this response's fresh one
 *    (lib/security/csp.ts). The nonce is 128 random bits, so it occurs nowhere else in a page.
 *  - Client navigations (Next's RSC payload) are kept the same way, keyed also by the router headers Next varies
 *    them by; prefetches go to Next.
 *  - Only complete 200 answers without cookies are kept, and no page in which a part failed (error digest); a page under concurrent misses is rendered once
 *    and the others wait for it. Memory is bounded (PAGE_CACHE_MB per process, least recently used first).
 *  - The version is read *before* the render, so a stored page is never older than its key says.
 *
 * PAGE_CACHE=off turns it off (the benchmark's render pass does, to report the cost of a miss).
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { decode } from "next-auth/jwt";
import { membershipCtx, type SessionClaims } from "@/lib/auth/membership";
import type { Ctx } from "@/lib/auth/context";
import { authSecret } from "@/lib/env";
import { sessionPool } from "@/lib/db/pg";
import { orgDataVersion } from "@/lib/services/read-cache";

/** Pages whose HTML depends only on (session, URL, org data, UTC day): no relative times, no live progress. */
export const CACHEABLE_PAGES: ReadonlySet<string> = new Set([
  "/dashboard",
  "/usage",
  "/forecasts",
  "/market",
  "/contracts",
  "/chargebacks",
  "/my-team",
  "/hedging/recommendations",
  "/hedging/policy",
  "/procurement",
  "/counterparties",
  "/approvals",
  "/reports/monthly",
]);

/** Read-only JSON/CSV endpoints, when asked with a session cookie (an API token always goes to Next). */
export const CACHEABLE_API: ReadonlySet<string> = new Set(["/api/v1/usage", "/api/v1/coverage", "/api/v1/marks", "/api/v1/capacity", "/api/v1/curves", "/api/v1/forecasts", "/api/v1/recommendations"]);

const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"];
/** Response headers that belong to one response only, never replayed from the store. */
const PER_RESPONSE = new Set(["set-cookie", "content-security-policy", "content-length", "date", "connection", "keep-alive", "transfer-encoding", "content-encoding"]);

/** The body cut at every occurrence of its nonce (one part when it has none), so a hit only copies bytes. */
type Stored = { parts: Buffer[]; headers: [string, string | string[]][]; bytes: number };
type Flight = Promise<Stored | null>;

const g = globalThis as unknown as { __pageCache?: Map<string, Stored>; __pageCacheStats?: { hits: number; misses: number; bytes: number }; __pageTokens?: Map<string, { claims: SessionClaims; exp: number }> };
const store = (g.__pageCache ??= new Map());
const stats = (g.__pageCacheStats ??= { hits: 0, misses: 0, bytes: 0 });
const tokens = (g.__pageTokens ??= new Map());
const inflight = new Map<string, Flight>();
const maxBytes = () => Math.max(1, Number(process.env.PAGE_CACHE_MB ?? 64)) * 1024 * 1024;

export function pageCacheEnabled(): boolean {
  return process.env.PAGE_CACHE !== "off";
}

function cookieValue(req: IncomingMessage): string | null {
  const raw = req.headers.cookie;
  if (!raw) return null;
  for (const part of raw.split(";")) {
    const i = part.indexOf("=");
    const name = part.slice(0, i).trim();
    if (SESSION_COOKIES.includes(name)) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return null;
}

/** A request the cache may answer: a plain GET of a listed page or endpoint, with a session cookie. */
export function cacheableRequest(req: IncomingMessage): boolean {
  if (req.method !== "GET" || !pageCacheEnabled()) return false;
  const [path, query = ""] = (req.url ?? "/").split("?", 2);
  if (!CACHEABLE_PAGES.has(path) && !(CACHEABLE_API.has(path) && !req.headers.authorization)) return false;
  // Prefetches are left to Next (partial, and cheap to skip); a client navigation's RSC payload is kept like
  // the document, keyed by the request headers Next varies it by (routerVariant)
  if (req.headers["next-router-prefetch"] || req.headers["next-router-segment-prefetch"]) return false;
  if ((req.headers["next-router-state-tree"] || /(^|&)_rsc=/.test(query)) && !req.headers.rsc) return false;
  return cookieValue(req) !== null;
}

/**
 * Whether a render failed in part: an error row in the RSC payload (`E{"digest":…}`, escaped inside the HTML), or
 * React's errored boundary with a digest. An empty digest is not a failure: it is a chart that renders in the
 * browser only (next/dynamic with ssr: false bails out to the client that way).
 */
const ERROR_ROWS = [Buffer.from(':E{"digest"'), Buffer.from(':E{\\"digest\\"')];
const DIGEST = Buffer.from('data-dgst="');
function failedInPart(body: Buffer): boolean {
  if (ERROR_ROWS.some((m) => body.includes(m))) return true;
  for (let i = body.indexOf(DIGEST); i >= 0; i = body.indexOf(DIGEST, i + 1)) if (body[i + DIGEST.length] !== 0x22) return true;
  return false;
}

/** The headers Next's answer varies by (its `Vary`): a navigation's payload depends on the router's state. */
const ROUTER_HEADERS = ["rsc", "next-router-state-tree", "next-url"] as const;
function routerVariant(req: IncomingMessage): string {
  return ROUTER_HEADERS.map((h) => String(req.headers[h] ?? "")).join("\u0001");
}

/** The token's claims, verified (signature, expiry) with next-auth's own decode; kept per token string. */
async function claimsOf(token: string): Promise<SessionClaims | null> {
  const now = Date.now() / 1000;
  const known = tokens.get(token);
  if (known) return known.exp > now ? known.claims : null;
  const payload = (await decode({ token, secret: authSecret() }).catch(() => null)) as (SessionClaims & { exp?: number }) | null;
  if (!payload || typeof payload.exp !== "number" || payload.exp <= now) return null;
  if (tokens.size > 10_000) tokens.clear();
  tokens.set(token, { claims: { uid: payload.uid, orgId: payload.orgId, sv: payload.sv, via: payload.via }, exp: payload.exp });
  return payload;
}

/**
 * The Ctx of the request's session cookie, checked exactly as a render checks it (token signature and expiry,
 * then membershipCtx); null when there is none or it does not stand. For the web server's direct answers
 * (lib/web/direct-api.ts).
 */
export async function cookieSessionCtx(req: IncomingMessage): Promise<Ctx | null> {
  const token = cookieValue(req);
  const claims = token ? await claimsOf(token) : null;
  if (!claims?.uid || !claims.orgId) return null;
  return membershipCtx(claims);
}
export const hasSessionCookie = (req: IncomingMessage) => cookieValue(req) !== null;

/** The user's active memberships (the org switcher in the layout lists them). */
async function orgsFingerprint(userId: string): Promise<string> {
  const { rows } = await sessionPool().query<{ f: string | null }>({ name: "page-cache-orgs", text: ORGS_SQL, values: [userId] });
  return rows[0]?.f ?? "";
}
const ORGS_SQL = `
  SELECT md5(string_agg(m."organizationId" || ':' || m.role::text || ':' || o.name || ':' || COALESCE(s.enabled AND s."ssoRequired", false)::text, ',' ORDER BY m."organizationId")) AS f
    FROM "Membership" m JOIN "Organization" o ON o.id = m."organizationId" LEFT JOIN "OrgSsoConfig" s ON s."organizationId" = m."organizationId"
   WHERE m."userId" = $1 AND m."deactivatedAt" IS NULL`;

/** The cache key of this request, or null when the session does not stand (Next then answers as usual). */
async function keyOf(req: IncomingMessage, token: string): Promise<string | null> {
  const claims = await claimsOf(token);
  if (!claims) return null;
  if (!claims.uid || !claims.orgId) return null;
  // the version is read before the render: a page stored under it is never older than it
  const [ctx, orgs, version] = await Promise.all([membershipCtx(claims), orgsFingerprint(claims.uid), orgDataVersion(claims.orgId)]);
  if (!ctx) return null;
  const day = new Date().toISOString().slice(0, 10);
  const who = createHash("sha256").update(token).digest("base64url");
  return `${who}|${ctx.orgId}|${ctx.role}|${ctx.teamId ?? "*"}|${claims.sv}|${orgs}|${version}|${day}|${req.url}|${routerVariant(req)}`;
}

function remember(key: string, s: Stored) {
  const old = store.get(key);
  if (old) {
    store.delete(key);
    stats.bytes -= old.bytes;
  }
  store.set(key, s);
  stats.bytes += s.bytes;
  for (const [k, e] of store) {
    if (stats.bytes <= maxBytes()) break;
    store.delete(k);
    stats.bytes -= e.bytes;
  }
}

function send(req: IncomingMessage, res: ServerResponse, s: Stored, nonce: string | null) {
  for (const [name, value] of s.headers) res.setHeader(name, value);
  res.setHeader("X-Page-Cache", "hit");
  const glue = Buffer.from(nonce ?? "", "utf8");
  if (/\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""))) {
    const body = gzipSync(s.parts.length === 1 ? s.parts[0] : Buffer.concat(s.parts.flatMap((p, i) => (i ? [glue, p] : [p]))), { level: 1 });
    res.setHeader("Content-Encoding", "gzip");
    res.setHeader("Content-Length", body.length);
    res.writeHead(200);
    return void res.end(body);
  }
  // the stored parts with this response's nonce between them, written as they are (no copy of the whole page)
  res.setHeader("Content-Length", s.parts.reduce((n, p) => n + p.length, 0) + glue.length * (s.parts.length - 1));
  res.writeHead(200);
  res.cork();
  s.parts.forEach((p, i) => {
    if (i) res.write(glue);
    res.write(p);
  });
  res.end();
}

/** Runs Next for this request while keeping a copy of what it sends; resolves with it when it can be stored. */
function renderAndCapture(req: IncomingMessage, res: ServerResponse, nonce: string | null, render: () => unknown): Flight {
  // the stored copy must be the plain HTML (its nonce is replaced per response), so Next does not compress it
  delete req.headers["accept-encoding"];
  const chunks: Buffer[] = [];
  const write = res.write.bind(res) as (...a: unknown[]) => boolean;
  const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
  const keep = (chunk: unknown, enc: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === "function") return;
    chunks.push(Buffer.isBuffer(chunk) ? chunk : typeof chunk === "string" ? Buffer.from(chunk, typeof enc === "string" ? (enc as BufferEncoding) : "utf8") : Buffer.from(chunk as Uint8Array));
  };
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return end(chunk, ...rest);
  }) as typeof res.end;
  res.setHeader("X-Page-Cache", "miss");
  return new Promise((resolve) => {
    res.on("close", () => {
      const type = String(res.getHeader("content-type") ?? "");
      const html = type.startsWith("text/html");
      const kind = nonce ? html || type.startsWith("text/x-component") : type.startsWith("application/json") || type.startsWith("text/csv");
      if (!res.writableFinished || res.statusCode !== 200 || !kind || res.getHeader("set-cookie") || res.getHeader("content-encoding")) return resolve(null);
      const body = Buffer.concat(chunks);
      // a part of the page failed (a query timed out, a bug): Next still answers 200 with the error boundary in it
      if (nonce && failedInPart(body)) return resolve(null);
      const parts = nonce ? splitAt(body, Buffer.from(nonce, "utf8")) : [body];
      // a document without its nonce did not come from this render's CSP: never stored
      if (html && parts.length < 2) return resolve(null);
      const headers = Object.entries(res.getHeaders())
        .filter(([n, v]) => !PER_RESPONSE.has(n) && n !== "x-page-cache" && v !== undefined)
        .map(([n, v]) => [n, Array.isArray(v) ? v : String(v)] as [string, string | string[]]);
      resolve({ parts, headers, bytes: body.length });
    });
    Promise.resolve(render()).catch(() => resolve(null));
  });
}

/**
 * Answers a cacheable request (cacheableRequest) from the store, or renders it with `render` (Next's handler)
 * and keeps the result. `nonce` is the one applyCsp drew for this response (null for an endpoint).
 */
export async function serveCached(req: IncomingMessage, res: ServerResponse, nonce: string | null, render: () => unknown): Promise<void> {
  const token = cookieValue(req);
  let key: string | null = null;
  try {
    key = token ? await keyOf(req, token) : null;
  } catch {
    key = null;
  }
  if (!key) return void render();
  const hit = store.get(key);
  if (hit) {
    stats.hits++;
    store.delete(key);
    store.set(key, hit);
    return send(req, res, hit, nonce);
  }
  const flight = inflight.get(key);
  if (flight) {
    const s = await flight;
    if (s) {
      stats.hits++;
      return send(req, res, s, nonce);
    }
    return void render();
  }
  stats.misses++;
  const mine = renderAndCapture(req, res, nonce, render);
  inflight.set(key, mine);
  const s = await mine;
  inflight.delete(key);
  if (s) remember(key, s);
}

function splitAt(body: Buffer, sep: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = body.indexOf(sep, from); i >= 0; i = body.indexOf(sep, from)) {
    parts.push(body.subarray(from, i));
    from = i + sep.length;
  }
  parts.push(body.subarray(from));
  return parts;
}

/** For tests and the benchmark's report. */
export function pageCacheStats() {
  return { entries: store.size, ...stats };
}
export function clearPageCache() {
  store.clear();
  tokens.clear();
  stats.hits = 0;
  stats.misses = 0;
  stats.bytes = 0;
}
