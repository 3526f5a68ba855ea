import { defineConfig } from "prisma/config";
import { PrismaPg } from "prisma-adapter-pg7";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL! }),
});
