// Ours vs official, measured in the same run: a warm-up per side, rounds in ABBA order (so
// neither side always runs first on a warmer machine), per-figure medians, ratios and a table.
import { median } from "../median.js";
import type { RunResult } from "./closedLoop.js";

export type Side = "ours" | "official";
export const SIDES: readonly Side[] = ["ours", "official"];

/** Per-verify figures of one side of one case (medians over rounds). */
export interface VerifyFigures {
  verifiesPerSecond: number;
  cpuMicrosPerVerify: number;
  /** RPC (or node) requests per verify; 0 where nothing counts them. */
  callsPerVerify: number;
}

/** Ours/official of one case. */
export interface VerifyRatio {
  /** What the case is, e.g. `"c=8"` or `"permit2 http c=8"`. */
  label: string;
  /** ours verify/s ÷ official verify/s (higher is better). */
  throughput: number;
  /** ours CPU per verify ÷ official's (lower is better). */
  cpu: number;
  ours: VerifyFigures;
  official: VerifyFigures;
}

/**
 * Per-verify figures of some runs of one case: the median of each figure.
 *
 * @example
 * ```ts
 * const figures = figuresOf([await measureInProcess(pool, 8, 3, step)]);
 * ```
 */
export function figuresOf(runs: readonly RunResult[]): VerifyFigures {
  return {
    verifiesPerSecond: median(runs.map((r) => (r.verifies * 1000) / r.elapsedMs)),
    cpuMicrosPerVerify: median(runs.map((r) => r.cpuMicros / r.verifies)),
    callsPerVerify: median(runs.map((r) => r.calls / r.verifies)),
  };
}

/**
 * One case, both sides: `run(side, warmupSeconds)` once per side as a warm-up, then `rounds`
 * rounds in ABBA order of `run(side, seconds)`; the ratio of the medians.
 *
 * @example
 * ```ts
 * const ratio = await compareSides("c=8", { seconds: 3, rounds: 2 }, (side, s) => measureInProcess(pools[side], 8, s, steps[side]));
 * ```
 */
export async function compareSides(
  label: string,
  timing: { seconds: number; rounds: number; warmupSeconds?: number },
  run: (side: Side, seconds: number) => Promise<RunResult>,
): Promise<VerifyRatio> {
  const warmup = timing.warmupSeconds ?? Math.min(timing.seconds, 0.5);
  if (warmup > 0) for (const side of SIDES) await run(side, warmup);
  const runs: Record<Side, RunResult[]> = { ours: [], official: [] };
  for (let round = 0; round < timing.rounds; round++)
    for (const side of round % 2 === 0 ? SIDES : [...SIDES].reverse())
      runs[side].push(await run(side, timing.seconds));
  return ratioOf(label, figuresOf(runs.ours), figuresOf(runs.official));
}

/**
 * Ours/official of two sides' figures.
 *
 * @example
 * ```ts
 * ratioOf("c=1", ours, official).throughput;
 * ```
 */
export function ratioOf(label: string, ours: VerifyFigures, official: VerifyFigures): VerifyRatio {
  return {
    label,
    throughput: ours.verifiesPerSecond / official.verifiesPerSecond,
    cpu: ours.cpuMicrosPerVerify / official.cpuMicrosPerVerify,
    ours,
    official,
  };
}

/**
 * The ratios as a Markdown table under `title`; `calls` names the counted requests
 * (e.g. `"RPC"`), or leaves those columns out.
 *
 * @example
 * ```ts
 * console.log(formatVerifyTable("SVM exact facilitator verify", ratios, "RPC"));
 * ```
 */
export function formatVerifyTable(title: string, ratios: readonly VerifyRatio[], calls?: string): string {
  const header = [
    "case",
    "verify/s ours",
    "official",
    "ours/official",
    "CPU µs/verify ours",
    "official",
    "ours/official",
    ...(calls ? [`${calls}/verify ours`, "official"] : []),
  ];
  const lines = ratios.map((r) => [
    r.label,
    r.ours.verifiesPerSecond.toFixed(0),
    r.official.verifiesPerSecond.toFixed(0),
    `${r.throughput.toFixed(2)}×`,
    r.ours.cpuMicrosPerVerify.toFixed(0),
    r.official.cpuMicrosPerVerify.toFixed(0),
    r.cpu.toFixed(3),
    ...(calls ? [r.ours.callsPerVerify.toFixed(2), r.official.callsPerVerify.toFixed(2)] : []),
  ]);
  return `${title}\n${markdownTable(header, lines)}`;
}

/**
 * A Markdown table; the first column left-aligned, the others right-aligned.
 *
 * @example
 * ```ts
 * markdownTable(["case", "verify/s"], [["c=1", "812"]]);
 * ```
 */
export function markdownTable(header: readonly string[], lines: ReadonlyArray<readonly string[]>): string {
  const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const rule = `|${header.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`;
  return [row(header), rule, ...lines.map(row)].join("\n");
}
