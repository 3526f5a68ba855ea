import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { makeOrg } from "./fixtures";
import { prisma } from "@/lib/db/client";
import { importUsage } from "@/lib/services/usage-import";

describe("UTF-8 across chunk boundaries", () => {
  it("keeps multi-byte team names intact wherever the stream splits them", async () => {
    const o = await makeOrg("utf8");
    const team = "Zürich Ööööööö Ünit 日本語チーム";
    await prisma.team.create({ data: { organizationId: o.org.id, name: team } });
    const lines = ["date,team,provider,model,input_tokens,output_tokens"];
    for (let i = 0; i < 3000; i++) lines.push(`2026-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, "0")},${team},OpenAI,gpt-4.1,${1000 + i},${10 + i}`);
    const bytes = Buffer.from(lines.join("\n"));
    // chunks of 1…13 bytes: every byte offset inside the 2- and 3-byte characters becomes a boundary somewhere
    const chunks: Buffer[] = [];
    for (let at = 0, n = 1; at < bytes.length; at += n, n = (n % 13) + 1) chunks.push(bytes.subarray(at, at + n));
    const r = await importUsage(o.ctx("ADMIN"), { fileName: "utf8.csv", body: Readable.from(chunks), mode: "validate", onErrors: "reject" });
    expect(r.errors).toEqual([]);
    expect(r.rowsAccepted).toBe(3000);
  });
});
