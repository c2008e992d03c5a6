// `node --conditions=@x402kit/source --import tsx bench/src/facilitatorSettleLoadMain.ts`: EVM
// settlement under load alone. Knobs: BENCH_SETTLE_PAYMENTS (50), BENCH_ROUNDS (2). Writes
// bench/results/facilitatorSettleLoad.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { formatSettleLoadTable, measureSettleLoad } from "./facilitatorSettleLoad.js";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const rows = await measureSettleLoad({
  payments: env("BENCH_SETTLE_PAYMENTS", 50),
  rounds: env("BENCH_ROUNDS", 2),
});
console.log(formatSettleLoadTable(rows));
const resultsDir = fileURLToPath(new URL("../results/", import.meta.url));
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  `${resultsDir}facilitatorSettleLoad.json`,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`,
);
