/**
 * Where a connector's own base URL may point: it is typed by an org admin and is sent the admin key, and the
 * worker fetches it from inside the installation's network — so only public internet addresses. Loopback,
 * private, link-local (169.254.169.254, the cloud metadata service), carrier-grade NAT, multicast, reserved and
 * documentation ranges are refused, as IP literals in the URL (any spelling: the URL parser normalises
 * 2130706433, 0x7f.1 and ::ffff:127.0.0.1) and as what a DNS name resolves to, checked again before every
 * request. Test servers on this machine are set through CONNECTOR_*_BASE_URL, which is the operator's and
 * not checked.
 */
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

const blocked = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.88.99.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24],
  ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) blocked.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  ["::", 128], ["::1", 128], ["100::", 64], ["2001::", 23], ["2001:db8::", 32], ["2002::", 16], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8],
] as const) blocked.addSubnet(net, bits, "ipv6");

/** The IPv4 address an IPv6 address carries (v4-mapped ::ffff:a.b.c.d, v4-compatible, NAT64 64:ff9b::/96), if any. */
function embeddedV4(v6: string): string | null {
  const m = v6.toLowerCase().match(/^(?:::ffff:|::|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/);
  if (!m) return null;
  if (m[1]) return m[1];
  const hi = parseInt(m[2], 16), lo = parseInt(m[3], 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Whether an IP address (v4 or v6, without brackets) is a public internet address. */
export function isPublicAddress(ip: string): boolean {
  const v = isIP(ip);
  if (v === 4) return !blocked.check(ip, "ipv4");
  if (v === 6) {
    const v4 = embeddedV4(ip);
    if (v4) return isIP(v4) === 4 && !blocked.check(v4, "ipv4");
    return !blocked.check(ip, "ipv6");
  }
  return false;
}

const INTERNAL_SUFFIXES = [".localhost", ".local", ".internal", ".home.arpa", ".lan", ".intranet", ".corp"];

/**
 * Why a base URL's host is not a public one, from the URL alone (no DNS): an IP literal outside public ranges,
 * localhost, a name under an internal-use suffix, or a single-label name. null when it may be public.
 */
export function hostRefusal(url: string): string | null {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/\.$/, "");
  } catch {
    return "must be a URL";
  }
  const bare = host.startsWith("[") ? host.slice(1, -1) : host;
  if (isIP(bare)) return isPublicAddress(bare) ? null : "must be a public internet address (not loopback, private, link-local or reserved)";
  if (bare === "localhost" || INTERNAL_SUFFIXES.some((s) => bare.endsWith(s)) || !bare.includes("."))
    return "must be a public host name (not localhost or an internal name)";
  return null;
}

export type Resolve = (host: string) => Promise<string[]>;
const resolveAll: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Refuses (with a message) a base URL whose host is, or resolves to, any non-public address. Run before each
 * request to a connector's own base URL, so a DNS name changed to point inside after it was saved is caught.
 */
export async function publicUrlRefusal(url: string, resolve: Resolve = resolveAll): Promise<string | null> {
  const static_ = hostRefusal(url);
  if (static_) return static_;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) return null;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch (e) {
    return `does not resolve (${(e as { code?: string }).code ?? "DNS error"})`;
  }
  if (!addresses.length) return "does not resolve";
  if (addresses.some((a) => !isPublicAddress(a))) return "resolves to a non-public address (loopback, private, link-local or reserved)";
  return null;
}
