// `node --conditions=@x402kit/source --import tsx bench/src/facilitatorEvmMain.ts`: the EVM
// facilitator verify bench alone. Knobs: BENCH_SECONDS (3), BENCH_ROUNDS (2), BENCH_PAYERS (64),
// BENCH_MODES (in-process,http), BENCH_METHODS (eip3009,permit2). Writes bench/results/facilitatorEvm.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { formatFacilitatorEvmTable, measureFacilitatorEvm, type TransferMethod } from "./facilitatorEvm.js";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const modes = (process.env.BENCH_MODES ?? "in-process,http").split(",") as Array<"in-process" | "http">;
const methods = (process.env.BENCH_METHODS ?? "eip3009,permit2").split(",") as TransferMethod[];
const result = await measureFacilitatorEvm({
  seconds: env("BENCH_SECONDS", 3),
  rounds: env("BENCH_ROUNDS", 2),
  payers: env("BENCH_PAYERS", 64),
  modes,
  methods,
});
console.log(formatFacilitatorEvmTable(result.ratios));
const resultsDir = fileURLToPath(new URL("../results/", import.meta.url));
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  `${resultsDir}facilitatorEvm.json`,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, ...result }, null, 2)}\n`,
);
