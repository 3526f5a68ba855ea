/**
 * The client address used for sign-in throttling. The web server (scripts/web-server.ts) stamps the TCP
 * peer into PEER_HEADER. X-Forwarded-For is believed only hop by hop from the right while each hop is a
 * configured proxy (TRUSTED_PROXIES, comma-separated addresses) — so a client behind no proxy, or one
 * that forges the header, is identified by its own socket address.
 */
export const PEER_HEADER = "x-tokenhedge-peer";

const normalize = (ip: string) => ip.trim().replace(/^::ffff:/, "").toLowerCase();

export function trustedProxies(raw = process.env.TRUSTED_PROXIES ?? ""): Set<string> {
  return new Set(raw.split(",").map(normalize).filter(Boolean));
}

export function clientIp(headers: Record<string, unknown> | Headers | undefined, proxies = trustedProxies()): string {
  const get = (name: string): string | undefined => {
    if (!headers) return undefined;
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const v = headers[name];
    return typeof v === "string" ? v : Array.isArray(v) ? v.join(",") : undefined;
  };
  const peer = get(PEER_HEADER);
  // Without the stamp (next started some other way) no address can be trusted: one shared bucket.
  if (!peer) return "unknown";
  let ip = normalize(peer);
  if (!proxies.has(ip)) return ip;
  const hops = (get("x-forwarded-for") ?? "").split(",").map(normalize).filter(Boolean);
  while (hops.length) {
    ip = hops.pop()!;
    if (!proxies.has(ip)) return ip;
  }
  return ip;
}
