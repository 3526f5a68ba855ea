import { NextRequest } from "next/server";

/**
 * The signed-in user for route-handler tests. Each test file mocks next-auth's getServerSession to read this
 * (cookie decoding is replaced; the membership lookup behind it is real):
 *   vi.mock("next-auth", async (o) => ({ ...(await o<object>()), getServerSession: async () => (await import("./route")).session.current }));
 */
export const session = { current: null as null | { uid: string; orgId: string; sv: number } };

/** sv is the session version the cookie would carry (users start at 0; see lib/auth/sessions.ts). */
export function signInAs(uid: string, orgId: string, sv = 0) {
  session.current = { uid, orgId, sv };
}
export function signOut() {
  session.current = null;
}

type Handler = (req: NextRequest, r: { params: Promise<Record<string, string>> }) => Promise<Response>;

export async function call(handler: Handler, url: string, init: { method?: string; body?: unknown; raw?: string; headers?: Record<string, string>; params?: Record<string, string> } = {}) {
  const req = new NextRequest(new URL(url, "http://localhost"), {
    method: init.method ?? "GET",
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
    // as browsers and API clients send JSON; raw uploads set their own type
    headers: init.body !== undefined && !init.headers?.["content-type"] ? { "content-type": "application/json", ...init.headers } : init.headers,
  });
  const res = await handler(req, { params: Promise.resolve(init.params ?? {}) });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json: json as any, text };
}
