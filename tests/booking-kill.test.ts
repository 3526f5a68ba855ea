import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { makeOrg } from "./fixtures";

const KEYS = 200;
const run = (args: string[]) => spawn(process.execPath, ["--import", "tsx", "tests/booking-child.ts", ...args], { env: { ...process.env, LOG_LEVEL: "silent" }, stdio: ["ignore", "ignore", "inherit"] });

describe("kill mid-booking", () => {
  it("a process killed with SIGKILL while booking leaves only whole contracts; booking the same keys again completes each exactly once", async () => {
    const o = await makeOrg("bookkill");
    const cp = await prisma.counterparty.create({ data: { organizationId: o.org.id, name: "Desk", rating: "A", limitUsd: "1000000000000" } });
    const args = [o.org.id, o.users.PROCUREMENT.id, o.provider.id, o.cls.id, cp.id, String(KEYS), "16"];
    const child = run(args);
    const exited = once(child, "exit");
    // well into the run, with 16 bookings in flight
    for (let i = 0; i < 600 && (await prisma.contract.count({ where: { organizationId: o.org.id } })) < 40; i++) await new Promise((r) => setTimeout(r, 50));
    child.kill("SIGKILL");
    await exited;
    // the server rolls back what the dead connections had open
    for (let i = 0; i < 100; i++) {
      const open = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()`;
      if (Number(open[0].n) === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const check = async () => {
      const contracts = await prisma.contract.findMany({ where: { organizationId: o.org.id }, include: { events: { select: { type: true } } } });
      const products = await prisma.contractProduct.count({ where: { organizationId: o.org.id } });
      // no product without its contract, no contract without its CREATED and BOOKED events
      expect(products).toBe(contracts.length);
      for (const c of contracts) expect(c.events.map((e) => e.type).sort()).toEqual(["BOOKED", "CREATED"]);
      // references are gapless and unique
      const refs = contracts.map((c) => Number(c.reference.slice(-5))).sort((a, b) => a - b);
      expect(refs).toEqual(Array.from({ length: contracts.length }, (_, i) => i + 1));
      return contracts;
    };
    const partial = await check();
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(KEYS);
    // "after restart": the client retries every key; each booking exists exactly once
    const again = run(args);
    const [code] = await once(again, "exit");
    expect(code).toBe(0);
    const all = await check();
    expect(all.length).toBe(KEYS);
    expect(new Set(all.map((c) => c.idempotencyKey)).size).toBe(KEYS);
  }, 120_000);
});
