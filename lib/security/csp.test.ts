import { describe, expect, it } from "vitest";
import type { IncomingMessage, ServerResponse } from "node:http";
import { applyCsp, isPagePath, NON_PAGE_POLICY, pagePolicy } from "./csp";

function fake(url: string, headers: Record<string, string> = {}) {
  const set: Record<string, string> = {};
  const req = { url, headers: { ...headers } } as unknown as IncomingMessage;
  const res = { setHeader: (k: string, v: string) => void (set[k] = v) } as unknown as ServerResponse;
  return { req, res, set };
}

describe("content security policy", () => {
  it("allows page scripts only by nonce, never inline", () => {
    const p = pagePolicy("abc123==");
    const script = p.split("; ").find((d) => d.startsWith("script-src"))!;
    expect(script).toBe("script-src 'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(p).toContain("frame-ancestors 'none'");
    expect(p).toContain("object-src 'none'");
    expect(pagePolicy("n", true)).toContain("'unsafe-eval'");
  });

  it("draws a fresh nonce per page request and overwrites a client-sent policy", () => {
    const a = fake("/dashboard", { "content-security-policy": "script-src 'nonce-chosenbyclient'", "content-security-policy-report-only": "x" });
    const b = fake("/dashboard");
    applyCsp(a.req, a.res);
    applyCsp(b.req, b.res);
    const na = /'nonce-([^']+)'/.exec(a.set["Content-Security-Policy"])![1];
    const nb = /'nonce-([^']+)'/.exec(b.set["Content-Security-Policy"])![1];
    expect(na).not.toBe("chosenbyclient");
    expect(na).not.toBe(nb);
    expect(Buffer.from(na, "base64")).toHaveLength(16);
    // Next reads the nonce from the request header: it must be ours
    expect(a.req.headers["content-security-policy"]).toBe(a.set["Content-Security-Policy"]);
    expect(a.req.headers["content-security-policy-report-only"]).toBeUndefined();
  });

  it("gives the API and static files a policy that runs nothing", () => {
    for (const url of ["/api/v1/teams?x=1", "/_next/static/chunks/a.js", "/icon.svg"]) {
      const f = fake(url, { "content-security-policy": "script-src 'nonce-x'" });
      applyCsp(f.req, f.res);
      expect(f.set["Content-Security-Policy"], url).toBe(NON_PAGE_POLICY);
      expect(f.req.headers["content-security-policy"], url).toBeUndefined();
    }
    expect(isPagePath("/apiary")).toBe(true);
    expect(isPagePath("/")).toBe(true);
  });
});
