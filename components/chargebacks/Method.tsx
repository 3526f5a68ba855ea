import type { Allocation, Benchmark } from "@/lib/domain/chargeback";
import { ALLOCATION_TEXT, BENCHMARK_TEXT } from "./labels";

/** How every number on a chargeback statement is made (lib/domain/chargeback.ts), in the org's current settings. */
export function Method({ benchmark, allocation }: { benchmark: Benchmark; allocation: Allocation }) {
  return (
    <section className="panel method" aria-labelledby="method-h">
      <h2 id="method-h">How these numbers are made</h2>
      <ol>
        <li>
          <strong>Benchmark.</strong> Each team&apos;s usage is priced {BENCHMARK_TEXT[benchmark]}.
          {benchmark === "SPOT" ? " Days before a class's first curve use the list price." : ""} A class&apos;s price is per 1M tokens of input + output.
          This is what the usage would have cost without any hedge. The organization chooses the benchmark: the curve&apos;s spot (default) or the catalog list price.
        </li>
        <li>
          <strong>What the organization paid.</strong> For each model class and month: the hedged part at contract prices plus the unhedged remainder at the benchmark.
          A financial contract pays the organization (average spot − strike) × quantity, so a gain lowers the cost and a loss raises it.
          Service credits replace usage the organization would have bought at the benchmark (valued at the class&apos;s average benchmark rate that month);
          they cost their strike, and <em>forfeited credits</em> (bought but unused when the month ended) are a cost of the hedge.
          Only booked, delivering and settled contracts count, and a month counts once its settlement is in: until then it is <em>provisional</em> and charged at the benchmark.
        </li>
        <li>
          <strong>Your share.</strong> Each team pays its own usage at the benchmark plus a share of each contract&apos;s result (settlement gains and losses and
          forfeited credits alike), {ALLOCATION_TEXT[allocation]} — the organization&apos;s current rule. The other rule is{" "}
          {allocation === "USAGE" ? ALLOCATION_TEXT.FORECAST_AT_BOOKING : ALLOCATION_TEXT.USAGE}. With usage, every team of a class gets the same adjustment per 1M tokens,
          so its rate is the hedged blended rate give or take its own timing and model mix. When the rule has nothing to go on, the other rule applies, then the
          teams&apos; spend across all classes that month; the statement says when. A month without a settled contract charges exactly the benchmark.
        </li>
        <li>
          <strong>Rounding.</strong> Amounts are in cents (half-even). Each team × model × month benchmark is rounded once; each month&apos;s hedge result per class is
          rounded once and split into cents, and the cents left over go to the team with the largest share. So the teams&apos; charges add up to the
          organization&apos;s cost exactly, every month and every quarter.
        </li>
      </ol>
    </section>
  );
}
