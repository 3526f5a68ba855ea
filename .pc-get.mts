import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { encode } from "next-auth/jwt";
import pg from "pg";
const db = process.argv[2];
const url = `postgresql://postgres@127.0.0.1:5432/${db}`;
const secret = "pc-test-secret-0123456789-abcdefghij";
const port = 3991;
const c = new pg.Client(url); await c.connect();
const { rows: [m] } = await c.query(`SELECT m."userId", m."organizationId" FROM "Membership" m JOIN "Organization" o ON o.id=m."organizationId" WHERE m.role=$1 AND o.slug LIKE 'bench-dash-%' LIMIT 1`, [process.env.ROLE ?? "CFO"]);
await c.end();
const srv = spawn(process.execPath, ["--import", "tsx", "scripts/web-server.ts", "-p", String(port)], { env: { ...process.env, DATABASE_URL: url, NEXTAUTH_SECRET: secret, NEXTAUTH_URL: `http://localhost:${port}`, NODE_ENV: "production", NEXT_DIST_DIR: ".next-bench", WEB_CONCURRENCY: "1" }, stdio: ["ignore", "ignore", "inherit"] });
for (let i = 0; i < 120; i++) { try { if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) break; } catch {} await new Promise((r) => setTimeout(r, 500)); }
const cookie = `next-auth.session-token=${await encode({ secret, token: { uid: m.userId, orgId: m.organizationId, sv: 0 }, maxAge: 3600 })}`;
for (const p of process.argv.slice(3)) {
  const r = await fetch(`http://127.0.0.1:${port}${p}`, { headers: { cookie } });
  const body = await r.text();
  const f = `/tmp/page${p.replace(/[^a-z0-9]/gi, "_")}.html`;
  writeFileSync(f, body);
  const flight = [...body.matchAll(/self\.__next_f\.push\((.*?)\)<\/script>/gs)].reduce((s, x) => s + x[1].length, 0);
  console.log(p, r.status, "bytes", body.length, "flight", flight, "->", f);
}
srv.kill("SIGTERM");
