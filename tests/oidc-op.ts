/**
 * A real OpenID Provider for tests (the oidc-provider package, dev interactions) on a loopback port, with one
 * confidential client registered for the app's callback URLs and a few test accounts. Used by tests/sso.test.ts
 * (driven over HTTP by `authorize`) and e2e/sso.spec.ts (driven through its login form in the browser).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export type TestAccount = { sub: string; email: string; name: string; emailVerified?: boolean };

export async function startOp(opts: {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  accounts: Record<string, TestAccount>;
  /** the issuer the provider claims; by default its own http://127.0.0.1:<port> */
  issuerOf?: (port: number) => string;
}) {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = opts.issuerOf ? opts.issuerOf(port) : `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: opts.clientId,
      client_secret: opts.clientSecret,
      redirect_uris: opts.redirectUris,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    }],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    scopes: ["openid", "email", "profile"],
    pkce: { required: () => true },
    cookies: { keys: ["tokenhedge-test-op-cookie-key"] },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id) {
      const a = opts.accounts[id];
      if (!a) return undefined;
      return { accountId: id, claims: async () => ({ sub: a.sub, email: a.email, email_verified: a.emailVerified ?? true, name: a.name }) };
    },
  });
  // the login form posts over plain http on loopback
  provider.proxy = false;
  server.on("request", provider.callback());
  return {
    issuer,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/**
 * Plays the user at the provider over HTTP: follows redirects with a cookie jar, signs in as `login` on the
 * dev login form and confirms consent, and returns the redirect back to the app (its callback URL with code,
 * state and iss) without requesting it.
 */
export async function authorize(authorizationUrl: string, login: string, appOrigin: string): Promise<URL> {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  let url = new URL(authorizationUrl);
  let init: RequestInit = {};
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader() } });
    keep(res);
    const location = res.headers.get("location");
    if (location) {
      const next = new URL(location, url);
      if (next.origin === appOrigin) return next;
      url = next;
      init = {};
      continue;
    }
    const html = await res.text();
    const action = html.match(/<form[^>]*action="([^"]+)"/)?.[1];
    const prompt = html.match(/name="prompt" value="([^"]+)"/)?.[1];
    if (res.status !== 200 || !action || !prompt) throw new Error(`unexpected provider page ${res.status} at ${url}: ${html.slice(0, 300)}`);
    const body = new URLSearchParams(prompt === "login" ? { prompt, login, password: "any" } : { prompt });
    url = new URL(action.replace(/&amp;/g, "&"), url);
    init = { method: "POST", body: body.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } };
  }
  throw new Error("too many redirects at the provider");
}
