import type { BundleSize } from "./bundleSize.js";
import type { PipelineResult } from "./pipeline.js";
import type { CaseName, ThroughputResult } from "./throughput.js";

export interface Row {
  measurement: string;
  /** A detail of the row above (printed indented). */
  detail?: boolean;
  ours: number;
  official: number;
  /** ours / official. */
  ratio: number;
  /** Human-readable target, when the issue sets one. */
  target?: string;
  met?: boolean;
  /** Responses with another status than the case expects (ours / official), over all runs. */
  unexpected?: string;
  /** Decimals printed for ours and official (default 0). */
  decimals?: number;
}

const PAID_TARGET = 3;
const GZIP_TARGET = 1 / 3;
/** The middleware's own CPU per paid request (paid − unpriced), ours / official. */
const SHARE_TARGET = 1 / 3;

/** The rows of the parts that ran (`pnpm bench` with `BENCH_ONLY` may skip some). */
export function buildRows(
  throughput: ThroughputResult | undefined,
  pipeline: PipelineResult | undefined,
  bundle: Record<"ours" | "official", BundleSize> | undefined,
  hono?: ThroughputResult,
) {
  const reqRows = (
    name: CaseName,
    label: string,
    status: number,
    target: number | undefined,
    result: ThroughputResult,
  ): Row[] => {
    const { ours, official } = result[name];
    const ratio = ours.rps / official.rps;
    const cpuRatio = ours.cpuMicrosPerResponse / official.cpuMicrosPerResponse;
    const unexpected = (runs: typeof ours.runs) => runs.reduce((n, r) => n + r.unexpected, 0);
    return [
      {
        measurement: `${label}, ${status}s per second`,
        ours: Math.round(ours.rps),
        official: Math.round(official.rps),
        ratio,
        ...(target ? { target: `≥ ${target}×`, met: ratio >= target } : {}),
        unexpected: `${unexpected(ours.runs)} / ${unexpected(official.runs)}`,
      },
      {
        // Same target seen through CPU cost: a third of the CPU per request is 3× the capacity.
        measurement: `server CPU µs per ${status}`,
        detail: true,
        ours: Math.round(ours.cpuMicrosPerResponse),
        official: Math.round(official.cpuMicrosPerResponse),
        ratio: cpuRatio,
        ...(target ? { target: `≤ 1/${target}`, met: cpuRatio <= 1 / target } : {}),
      },
    ];
  };
  const sizeRow = (
    bundle: Record<"ours" | "official", BundleSize>,
    key: keyof BundleSize,
    label: string,
    target?: number,
  ): Row => {
    const ratio = bundle.ours[key] / bundle.official[key];
    return {
      measurement: label,
      ours: bundle.ours[key],
      official: bundle.official[key],
      ratio,
      ...(target ? { target: "≤ 1/3", met: ratio <= target } : {}),
    };
  };
  // What the middleware itself costs on the paid path: CPU per paid response minus CPU per
  // response of the unpriced route on the same app (express, node http and the same handler).
  // Not done for the 402 path, which skips the handler and so can cost less than the route.
  const overheadRow = (result: ThroughputResult): Row => {
    const over = (side: "ours" | "official") =>
      result.paid[side].cpuMicrosPerResponse - result.free[side].cpuMicrosPerResponse;
    const ratio = over("ours") / over("official");
    return {
      measurement: "x402 share: paid − unpriced CPU µs",
      detail: true,
      ours: Math.round(over("ours")),
      official: Math.round(over("official")),
      ratio,
      target: "≤ 1/3",
      met: ratio <= SHARE_TARGET,
    };
  };
  // The same three cases with hono (served by @hono/node-server) as the host.
  const honoRows = (result: ThroughputResult): Row[] => [
    ...reqRows("paid", "hono: paid path", 200, PAID_TARGET, result),
    overheadRow(result),
    ...reqRows("unpaid", "hono: 402 path", 402, undefined, result),
    ...reqRows("free", "hono: unpriced route", 200, undefined, result),
  ];
  // No HTTP, no express: requests/s ratio = official µs / our µs. Every request is checked, so
  // any unexpected outcome has already aborted the run.
  const pipelineRows = (pipeline: PipelineResult, name: keyof PipelineResult, label: string): Row[] => {
    const { ours, official } = pipeline[name];
    return [
      {
        measurement: `${label}, requests/s`,
        ours: Math.round(ours.rps),
        official: Math.round(official.rps),
        ratio: ours.rps / official.rps,
        unexpected: "0 / 0",
      },
      {
        measurement: "µs per request",
        detail: true,
        decimals: 1,
        ours: Math.round(ours.microsPerRequest * 10) / 10,
        official: Math.round(official.microsPerRequest * 10) / 10,
        ratio: ours.microsPerRequest / official.microsPerRequest,
      },
    ];
  };
  return [
    ...(throughput
      ? [
          ...reqRows("paid", "paid path", 200, PAID_TARGET, throughput),
          overheadRow(throughput),
          ...reqRows("unpaid", "402 path", 402, undefined, throughput),
          ...reqRows("free", "unpriced route", 200, undefined, throughput),
        ]
      : []),
    ...(hono ? honoRows(hono) : []),
    ...(pipeline
      ? [
          ...pipelineRows(pipeline, "paid", "pipeline only, paid"),
          ...pipelineRows(pipeline, "unpaid", "pipeline only, 402"),
        ]
      : []),
    ...(bundle
      ? [
          sizeRow(bundle, "minifiedBytes", "browser bundle, min bytes"),
          sizeRow(bundle, "gzipBytes", "browser bundle, gzip bytes", GZIP_TARGET),
        ]
      : []),
  ];
}

/** A plain-text table: measurement, ours, official, ratio, target, met. */
export function formatTable(rows: Row[]): string {
  const header = [
    "measurement",
    "ours",
    "official",
    "ours/official",
    "target",
    "met",
    "non-expected (o/off)",
  ];
  const number = (value: number, decimals = 0) =>
    value.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  const lines = rows.map((r) => [
    r.detail ? `  ${r.measurement}` : r.measurement,
    number(r.ours, r.decimals),
    number(r.official, r.decimals),
    r.ratio.toFixed(3),
    r.target ?? "-",
    r.met === undefined ? "-" : r.met ? "yes" : "NO",
    r.unexpected ?? "-",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [format(header), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(format)].join("\n");
}

/**
 * The best paid-path ratio the framework allows: if our middleware cost nothing, a paid
 * request would cost about what an unpriced one does on the same app.
 */
export function paidCeiling(throughput: ThroughputResult): number {
  return throughput.paid.official.cpuMicrosPerResponse / throughput.free.ours.cpuMicrosPerResponse;
}
