// The facilitator benches `pnpm bench` runs after the HTTP ones: each returns its figures (for
// latest.json) and its table (for the console).
import { formatFacilitatorAptos, measureFacilitatorAptos } from "./facilitatorAptos.js";
import { formatFacilitatorEvmTable, measureFacilitatorEvm } from "./facilitatorEvm.js";
import { formatSettleLoadTable, measureSettleLoad } from "./facilitatorSettleLoad.js";
import { formatFacilitatorStellarTable, measureFacilitatorStellar } from "./facilitatorStellar.js";
import { formatFacilitatorSvmTable, measureFacilitatorSvm } from "./facilitatorSvm.js";

/** The parts of `pnpm bench`, as `BENCH_ONLY` names them. */
export const BENCH_PARTS = [
  "http",
  "pipeline",
  "bundle",
  "facilitator-evm",
  "settle-load",
  "svm",
  "stellar",
  "aptos",
] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

/**
 * The parts named by `BENCH_ONLY` (a comma list), every part when unset or empty.
 *
 * @throws {Error} for a name that is not a part.
 * @example
 * ```ts
 * benchParts("svm,stellar"); // Set { "svm", "stellar" }
 * ```
 */
export function benchParts(only: string | undefined): Set<BenchPart> {
  const names = (only ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) return new Set(BENCH_PARTS);
  for (const name of names)
    if (!(BENCH_PARTS as readonly string[]).includes(name))
      throw new Error(`BENCH_ONLY: unknown part "${name}"; parts: ${BENCH_PARTS.join(",")}`);
  return new Set(names as BenchPart[]);
}

/** Knobs shared by the facilitator benches. */
export interface FacilitatorBenchOptions {
  /** Seconds per measured verify run. */
  seconds: number;
  /** Rounds per case. */
  rounds: number;
  /** Concurrent settlements of the settle-load bench. */
  settlePayments: number;
}

type FacilitatorPart = Exclude<BenchPart, "http" | "pipeline" | "bundle">;

const BENCHES: Record<
  FacilitatorPart,
  (options: FacilitatorBenchOptions) => Promise<{ result: unknown; table: string }>
> = {
  "facilitator-evm": async ({ seconds, rounds }) => {
    const result = await measureFacilitatorEvm({ seconds, rounds });
    return { result, table: formatFacilitatorEvmTable(result.ratios) };
  },
  "settle-load": async ({ rounds, settlePayments }) => {
    const rows = await measureSettleLoad({ payments: settlePayments, rounds });
    return { result: rows, table: formatSettleLoadTable(rows) };
  },
  svm: async ({ seconds, rounds }) => {
    const result = await measureFacilitatorSvm({ seconds, rounds });
    return { result, table: `${formatFacilitatorSvmTable(result.ratios)}\n(our ed25519: ${result.ed25519})` };
  },
  stellar: async ({ seconds, rounds }) => {
    const result = await measureFacilitatorStellar({ seconds, rounds });
    return { result, table: formatFacilitatorStellarTable(result.ratios) };
  },
  aptos: async ({ seconds, rounds }) => {
    const rows = await measureFacilitatorAptos({ seconds, rounds });
    return { result: rows, table: formatFacilitatorAptos(rows) };
  },
};

/**
 * Run the facilitator benches among `parts`, one after the other; figures by part and the
 * tables in order.
 *
 * @example
 * ```ts
 * const { results, tables } = await runFacilitatorBenches(benchParts("svm"), { seconds: 3, rounds: 2, settlePayments: 50 });
 * ```
 */
export async function runFacilitatorBenches(
  parts: ReadonlySet<BenchPart>,
  options: FacilitatorBenchOptions,
): Promise<{ results: Partial<Record<FacilitatorPart, unknown>>; tables: string[] }> {
  const results: Partial<Record<FacilitatorPart, unknown>> = {};
  const tables: string[] = [];
  for (const part of Object.keys(BENCHES) as FacilitatorPart[]) {
    if (!parts.has(part)) continue;
    process.stderr.write(`facilitator: ${part}…\n`);
    // One part failing (a chain stand-in, a port) is reported, and the others still run.
    try {
      const { result, table } = await BENCHES[part](options);
      results[part] = result;
      tables.push(table);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results[part] = { error: message };
      tables.push(`facilitator ${part}: FAILED (${message})`);
    }
  }
  return { results, tables };
}
