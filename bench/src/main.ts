// `pnpm bench`: throughput of both express and both hono middlewares and the browser bundle
// size of both paying clients, in one run. Prints a table and writes bench/results/latest.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { measureBundle } from "./bundleSize.js";
import { measurePipeline, type PipelineOptions } from "./pipeline.js";
import type { Side } from "./presign.js";
import { buildRows, formatTable, paidCeiling } from "./report.js";
import { measureThroughput, SIDES, type ThroughputOptions } from "./throughput.js";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const resultsDir = fileURLToPath(new URL("../results/", import.meta.url));

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

const loadBefore = loadavg()[0]!;
process.stderr.write("bundle sizes…\n");
const bundle = { ours: await measureBundle("ours"), official: await measureBundle("official") };
process.stderr.write(
  `pipeline only: ${pipelineOptions.rounds} rounds × ${pipelineOptions.iterations} sequential requests per case and side…\n`,
);
const pipeline = await measurePipeline(pipelineOptions);
process.stderr.write(
  `throughput: ${options.rounds} rounds × ${options.seconds} s per case and side, ${options.connections} connections…\n`,
);
const throughput = await measureThroughput(options);
process.stderr.write("throughput on hono (@hono/node-server), same cases…\n");
const hono = await measureThroughput(options, "hono");
const rows = buildRows(throughput, pipeline, bundle, hono);

const ceiling = paidCeiling(throughput);
const honoCeiling = paidCeiling(hono);
console.log(`\n${formatTable(rows)}\n`);
console.log(
  `ceiling: official CPU per paid request / our CPU per unpriced request = ${ceiling.toFixed(2)}× on express, ` +
    `${honoCeiling.toFixed(2)}× on hono (the best paid-path ratio possible, were our middleware free)`,
);
console.log(
  "pipeline only: each SDK's x402HTTPResourceServer called directly in one process (no HTTP, no express), " +
    "same stub facilitator; ours/official of requests/s = official µs / our µs.\n" +
    "ours runs from its TypeScript sources via tsx (its `__name` wrappers add a little); the official packages " +
    "from their published ESM builds.",
);
const load = loadavg()[0]!;
if (load > cpus().length)
  console.log(`note: load average ${load.toFixed(1)} on ${cpus().length} cores; figures are noisy.`);

mkdirSync(resultsDir, { recursive: true });
const report = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  // One-minute load average: other jobs on the machine make requests/s noisy.
  loadAverage1m: { before: loadBefore, after: load },
  options: { ...options, execArgv: undefined, cpuProfile: profiled ?? null, pipeline: pipelineOptions },
  rows,
  paidPathCeilingOnExpress: ceiling,
  paidPathCeilingOnHono: honoCeiling,
  throughput,
  hono,
  pipeline,
  bundle,
};
writeFileSync(`${resultsDir}latest.json`, `${JSON.stringify(report, null, 2)}\n`);
console.log("wrote bench/results/latest.json");
