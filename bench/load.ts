/**
 * The load generator of bench:dashboard, in a process of its own: autocannon's latencies are then not inflated by
 * the garbage collection of the benchmark process, whose heap holds what seeding and forecasting millions of
 * rows left (its pauses would land in the measured time of large answers most).
 *   tsx bench/load.ts '{"url":…,"target":…,"cookies":[…],"connections":50,"seconds":20,"scenarioPath":…}'
 * Prints one JSON line: requests, rps, p50, p95, timeouts, non2xx, kb (mean answer size).
 */
import autocannon from "autocannon";

type Job = { url: string; target: string; cookies: string[]; connections: number; seconds: number; scenarioPath: string };
const job = JSON.parse(process.argv[2]) as Job;

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
};

const latencies: number[] = [];
let non2xx = 0;
let next = 0;
const r = await new Promise<autocannon.Result>((resolve, reject) => {
  const inst = autocannon(
    {
      url: `${job.url}${job.target.split(" ")[0]}`,
      connections: job.connections,
      duration: job.seconds,
      timeout: 10,
      // each connection signed in as its own CFO: fifty users, not one session fifty times
      setupClient: (client) => client.setHeaders({ cookie: job.cookies[next++ % job.cookies.length] }),
      // the stress slider: every ask a different shock (spot −80…+200 %, demand −50…+100 %), so no answer repeats
      ...(job.target.startsWith(job.scenarioPath)
        ? { requests: [{ setupRequest: (q: autocannon.Request) => ({ ...q, path: `${job.scenarioPath}?spotChangePct=${-80 + Math.floor(Math.random() * 281)}&demandChangePct=${-50 + Math.floor(Math.random() * 151)}` }) }] }
        : {}),
    },
    (err, result) => (err ? reject(err) : resolve(result)),
  );
  inst.on("response", (_c, status, _b, ms) => {
    latencies.push(ms);
    if (status >= 300) non2xx++;
  });
});
console.log(
  JSON.stringify({
    requests: latencies.length,
    rps: r.requests.average,
    p50: latencies.length ? percentile(latencies, 0.5) : null,
    p95: latencies.length ? percentile(latencies, 0.95) : null,
    timeouts: r.timeouts,
    non2xx,
    // the size of an answer: what a cache hit costs is mostly its bytes
    kb: r.requests.total ? r.throughput.total / r.requests.total / 1024 : 0,
  }),
);
