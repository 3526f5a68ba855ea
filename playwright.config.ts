import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
if (!process.env.E2E_DATABASE_URL) throw new Error("E2E_DATABASE_URL is not set: run e2e through `npm test` (scripts/test-all.sh), which creates a fresh database");

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "playwright-report/results.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: "only-on-failure",
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  webServer: {
    command: "npm start",
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: { PORT: String(port), DATABASE_URL: process.env.E2E_DATABASE_URL, DEMO_MODE: "1", LOG_LEVEL: "warn", NEXT_TELEMETRY_DISABLED: "1" },
  },
});
