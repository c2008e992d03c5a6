// `pnpm bench`: throughput of both express and both hono middlewares, the pipeline alone, the
// browser bundle size of both paying clients, and the facilitator benches (EVM verify, EVM
// settlement under load, Solana, Stellar, Aptos), in one run. `BENCH_ONLY=svm,stellar` (comma
// list of http,pipeline,bundle,facilitator-evm,settle-load,svm,stellar,aptos) runs only those.
// Prints the tables and writes bench/results/latest.json (or the file BENCH_RESULTS names).
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { measureBundle } from "./bundleSize.js";
import { benchParts, runFacilitatorBenches } from "./facilitatorBenches.js";
import { measurePipeline, type PipelineOptions } from "./pipeline.js";
import type { Side } from "./presign.js";
import { buildRows, formatTable, paidCeiling } from "./report.js";
import { measureThroughput, SIDES, type ThroughputOptions } from "./throughput.js";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const resultsDir = fileURLToPath(new URL("../results/", import.meta.url));
const resultsFile = process.env.BENCH_RESULTS ?? `${resultsDir}latest.json`;
const parts = benchParts(process.env.BENCH_ONLY);

// BENCH_CPU_PROF=ours|official|both writes V8 CPU profiles of the server child(ren).
const profiled = process.env.BENCH_CPU_PROF;
const profileArgs = [`--cpu-prof`, `--cpu-prof-dir=${resultsDir}profiles`];
const options: ThroughputOptions = {
  seconds: env("BENCH_SECONDS", 3),
  warmupSeconds: env("BENCH_WARMUP_SECONDS", 3),
  rounds: env("BENCH_ROUNDS", 4),
  connections: env("BENCH_CONNECTIONS", 10),
  poolSize: env("BENCH_POOL_SIZE", 256),
  execArgv: Object.fromEntries(
    SIDES.filter((side) => profiled === side || profiled === "both").map((side) => [side, profileArgs]),
  ) as Partial<Record<Side, string[]>>,
};

const pipelineOptions: PipelineOptions = {
  iterations: env("BENCH_PIPELINE_ITERATIONS", 20_000),
  warmupIterations: env("BENCH_PIPELINE_WARMUP", 5_000),
  rounds: options.rounds,
  poolSize: options.poolSize,
};

const facilitatorOptions = {
  seconds: options.seconds,
  rounds: env("BENCH_ROUNDS", 2),
  settlePayments: env("BENCH_SETTLE_PAYMENTS", 50),
};

const loadBefore = loadavg()[0]!;
let bundle: Parameters<typeof buildRows>[2];
if (parts.has("bundle")) {
  process.stderr.write("bundle sizes…\n");
  bundle = { ours: await measureBundle("ours"), official: await measureBundle("official") };
}
let pipeline: Parameters<typeof buildRows>[1];
if (parts.has("pipeline")) {
  process.stderr.write(
    `pipeline only: ${pipelineOptions.rounds} rounds × ${pipelineOptions.iterations} sequential requests per case and side…\n`,
  );
  pipeline = await measurePipeline(pipelineOptions);
}
let throughput: Parameters<typeof buildRows>[0];
let hono: Parameters<typeof buildRows>[3];
if (parts.has("http")) {
  process.stderr.write(
    `throughput: ${options.rounds} rounds × ${options.seconds} s per case and side, ${options.connections} connections…\n`,
  );
  throughput = await measureThroughput(options);
  process.stderr.write("throughput on hono (@hono/node-server), same cases…\n");
  hono = await measureThroughput(options, "hono");
}
const facilitators = await runFacilitatorBenches(parts, facilitatorOptions);
const rows = buildRows(throughput, pipeline, bundle, hono);

if (rows.length > 0) console.log(`\n${formatTable(rows)}\n`);
const ceiling = throughput && paidCeiling(throughput);
const honoCeiling = hono && paidCeiling(hono);
if (ceiling && honoCeiling)
  console.log(
    `ceiling: official CPU per paid request / our CPU per unpriced request = ${ceiling.toFixed(2)}× on express, ` +
      `${honoCeiling.toFixed(2)}× on hono (the best paid-path ratio possible, were our middleware free)`,
  );
if (pipeline)
  console.log(
    "pipeline only: each SDK's x402HTTPResourceServer called directly in one process (no HTTP, no express), " +
      "same stub facilitator; ours/official of requests/s = official µs / our µs.\n" +
      "ours runs from its TypeScript sources via tsx (its `__name` wrappers add a little); the official packages " +
      "from their published ESM builds.",
  );
for (const table of facilitators.tables) console.log(`\n${table}`);
const load = loadavg()[0]!;
if (load > cpus().length)
  console.log(`note: load average ${load.toFixed(1)} on ${cpus().length} cores; figures are noisy.`);

mkdirSync(dirname(resultsFile), { recursive: true });
const report = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  // One-minute load average: other jobs on the machine make requests/s noisy.
  loadAverage1m: { before: loadBefore, after: load },
  parts: [...parts],
  options: {
    ...options,
    execArgv: undefined,
    cpuProfile: profiled ?? null,
    pipeline: pipelineOptions,
    facilitators: facilitatorOptions,
  },
  rows,
  paidPathCeilingOnExpress: ceiling ?? null,
  paidPathCeilingOnHono: honoCeiling ?? null,
  throughput,
  hono,
  pipeline,
  bundle,
  facilitators: facilitators.results,
};
writeFileSync(resultsFile, `${JSON.stringify(report, null, 2)}\n`);
console.log(`wrote ${resultsFile}`);
