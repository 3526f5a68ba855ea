import { beforeAll, describe, expect, it, vi } from "vitest";
import { Readable } from "node:stream";
import { prisma } from "@/lib/db/client";
import { defaultReportMonth, monthlyReport, reportMonths } from "@/lib/services/hedging/report";
import { importUsage } from "@/lib/services/usage-import";
import * as reportRoute from "@/app/api/v1/reports/monthly/route";
import { makeOrg, type TestOrg } from "./fixtures";
import { call, signInAs } from "./route";

vi.mock("next-auth", async (o) => ({ ...(await o<object>()), getServerSession: async () => (await import("./route")).session.current }));

let o: TestOrg;
let other: TestOrg;
const NOW = new Date("2026-11-28T10:00:00Z");

beforeAll(async () => {
  o = await makeOrg("report");
  other = await makeOrg("report-other");
  // October 2026: 10 days of gpt-4.1 (2 $/M in, 8 $/M out) for Support; one day in November
  const lines = ["date,team,provider,model,input_tokens,output_tokens"];
  for (let d = 1; d <= 10; d++) lines.push(`2026-10-${String(d).padStart(2, "0")},Support,OpenAI,gpt-4.1,1000000,500000`);
  lines.push("2026-11-02,Support,OpenAI,gpt-4.1,3000000,0");
  const r = await importUsage(o.ctx("ADMIN"), { fileName: "u.csv", body: Readable.from([Buffer.from(lines.join("\n"))]), mode: "commit", onErrors: "reject" });
  expect(r.status).toBe("COMPLETED");
});

describe("monthly CFO report", () => {
  it("lists the current month and the eleven before it; defaults to the last complete month", () => {
    const months = reportMonths(NOW);
    expect(months).toHaveLength(12);
    expect(months[0]).toBe("2026-11");
    expect(months[11]).toBe("2025-12");
    expect(defaultReportMonth(NOW)).toBe("2026-10");
    expect(defaultReportMonth(new Date("2027-01-01T00:00:00Z"))).toBe("2026-12");
  });

  it("reports the month's spend at list price (10 days × (1M × $2 + 0.5M × $8) = $60.00), by class, with empty sections said", async () => {
    const r = await monthlyReport(o.ctx("CFO"), "2026-10", NOW);
    expect(r.partial).toBe(false);
    expect(r.period).toEqual({ from: "2026-10-01", to: "2026-10-31" });
    expect(r.spend.totalUsd).toBe("60.00");
    expect(r.spend.byClass.map((c) => [c.key, c.listCostUsd])).toEqual([["General chat", "60.00"]]);
    expect(r.settlements.lines).toEqual([]);
    expect(r.marks).toBeNull();
    expect(r.coverage.forecastAsOf).toBeNull();
    expect(r.commentary).toBeNull();
    // the current month is month to date
    const nov = await monthlyReport(o.ctx("CFO"), "2026-11", NOW);
    expect(nov.partial).toBe(true);
    expect(nov.spend.totalUsd).toBe("6.00");
  });

  it("refuses a month that has not started, naming the field", async () => {
    await expect(monthlyReport(o.ctx("CFO"), "2027-01", NOW)).rejects.toMatchObject({ status: 422, issues: [{ path: "month" }] });
  });

  it("API: the CFO saves commentary (audited, empty clears it); admins read; procurement and team leads 403; other orgs see none of it", async () => {
    signInAs(o.users.CFO.id, o.org.id);
    const saved = await call(reportRoute.PUT, "/api/v1/reports/monthly", { method: "PUT", body: { month: "2026-10", text: "  Spend flat; hedges on track.  " } });
    expect(saved.status).toBe(200);
    expect(saved.json.text).toBe("Spend flat; hedges on track.");
    const again = await call(reportRoute.PUT, "/api/v1/reports/monthly", { method: "PUT", body: { month: "2026-10", text: "Revised." } });
    expect(again.status).toBe(200);
    const audits = await prisma.auditEvent.findMany({ where: { organizationId: o.org.id, action: "report.commentary.saved" }, orderBy: { at: "asc" } });
    expect(audits.map((a) => [(a.data as { before: string | null }).before, (a.data as { after: string }).after])).toEqual([[null, "Spend flat; hedges on track."], ["Spend flat; hedges on track.", "Revised."]]);

    signInAs(o.users.ADMIN.id, o.org.id);
    const read = await call(reportRoute.GET, "/api/v1/reports/monthly?month=2026-10");
    expect(read.status).toBe(200);
    expect(read.json.commentary.text).toBe("Revised.");
    expect(read.json.spend.totalUsd).toBe("60.00");
    expect((await call(reportRoute.PUT, "/api/v1/reports/monthly", { method: "PUT", body: { month: "2026-10", text: "admin" } })).status).toBe(403);

    signInAs(o.users.PROCUREMENT.id, o.org.id);
    expect((await call(reportRoute.GET, "/api/v1/reports/monthly?month=2026-10")).status).toBe(403);
    signInAs(o.users.TEAM_LEAD.id, o.org.id);
    expect((await call(reportRoute.GET, "/api/v1/reports/monthly?month=2026-10")).status).toBe(403);

    signInAs(other.users.CFO.id, other.org.id);
    const theirs = await call(reportRoute.GET, "/api/v1/reports/monthly?month=2026-10");
    expect(theirs.status).toBe(200);
    expect(theirs.json.commentary).toBeNull();
    expect(theirs.json.spend.totalUsd).toBe("0.00");
  });

  it("API: bad input is a 422 naming the field", async () => {
    signInAs(o.users.CFO.id, o.org.id);
    const badMonth = await call(reportRoute.GET, "/api/v1/reports/monthly?month=2026-13");
    expect(badMonth.status).toBe(422);
    expect(badMonth.json.error.issues[0].path).toBe("query.month");
    const tooLong = await call(reportRoute.PUT, "/api/v1/reports/monthly", { method: "PUT", body: { month: "2026-10", text: "x".repeat(20_001) } });
    expect(tooLong.status).toBe(422);
    expect(tooLong.json.error.issues[0].path).toBe("body.text");
    const extra = await call(reportRoute.PUT, "/api/v1/reports/monthly", { method: "PUT", body: { month: "2026-10", text: "ok", org: "x" } });
    expect(extra.status).toBe(422);
  });
});
