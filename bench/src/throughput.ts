import { FREE_PATH, PAID_PATH } from "./config.js";
import { type LoadResult, runLoad } from "./load.js";
import { median } from "./median.js";
import { checkPaidRequest, presignPayments, type Side } from "./presign.js";
import { type Framework, type ServerProcess, startServer } from "./serverProcess.js";

export type CaseName = "paid" | "unpaid" | "free";
export const SIDES: readonly Side[] = ["ours", "official"];

const CASES: Record<CaseName, { path: string; status: number; paid: boolean }> = {
  /** Valid PAYMENT-SIGNATURE: match, verify (stub), handler, settle (stub), receipt. */
  paid: { path: PAID_PATH, status: 200, paid: true },
  /** No header: build accepts[] and answer 402 with PAYMENT-REQUIRED. */
  unpaid: { path: PAID_PATH, status: 402, paid: false },
  /** An unpriced route: express plus the middleware's route check, as a ceiling. */
  free: { path: FREE_PATH, status: 200, paid: false },
};

export interface ThroughputOptions {
  seconds: number;
  warmupSeconds: number;
  rounds: number;
  connections: number;
  /** Distinct pre-signed payments per server, rotated per request. */
  poolSize: number;
  /** Extra node flags per side, e.g. `--cpu-prof`. */
  execArgv?: Partial<Record<Side, string[]>>;
}

/** One measured run, with the server's own CPU cost. */
export interface RunResult extends LoadResult {
  /** Server-process CPU time (user + system) per response, µs: robust to a busy machine. */
  cpuMicrosPerResponse: number;
}

export interface CaseSummary {
  /** Median over rounds of expected-status responses per second. */
  rps: number;
  /** Median over rounds of server CPU µs per response. */
  cpuMicrosPerResponse: number;
  runs: RunResult[];
}

export type ThroughputResult = Record<CaseName, Record<Side, CaseSummary>>;

/**
 * Run every case against both servers on `framework`: warm each up, then `rounds` measured
 * runs that alternate the sides (ABBA order) so slow drift of the machine hits both alike.
 */
export async function measureThroughput(
  options: ThroughputOptions,
  framework: Framework = "express",
): Promise<ThroughputResult> {
  const servers = await Promise.all(
    SIDES.map((side) => startServer(side, options.execArgv?.[side], framework)),
  );
  try {
    const pools = await Promise.all(servers.map((s) => preparePool(s, options.poolSize)));
    const bySide = (side: Side) => servers.findIndex((s) => s.side === side);
    const result = {} as ThroughputResult;
    for (const name of Object.keys(CASES) as CaseName[]) {
      const runs: Record<Side, RunResult[]> = { ours: [], official: [] };
      const run = async (side: Side, seconds: number) => {
        const i = bySide(side);
        return measureCase(servers[i]!, name, seconds, options.connections, pools[i]!);
      };
      for (const side of SIDES) await run(side, options.warmupSeconds);
      for (let round = 0; round < options.rounds; round++) {
        const order = round % 2 === 0 ? SIDES : [...SIDES].reverse();
        for (const side of order) {
          const load = await run(side, options.seconds);
          runs[side].push(load);
          const cpu = load.cpuMicrosPerResponse.toFixed(0);
          log(
            `${framework.padEnd(7)} ${name.padEnd(6)} ${side.padEnd(8)} round ${round + 1}: ${Math.round(load.rps)} req/s, ${cpu} µs CPU/req`,
          );
        }
      }
      result[name] = {
        ours: summarise(runs.ours),
        official: summarise(runs.official),
      };
    }
    return result;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

async function preparePool(server: ServerProcess, size: number) {
  const url = server.url + PAID_PATH;
  const pool = await presignPayments(server.side, url, size);
  await checkPaidRequest(server.side, url, pool[0]!);
  return pool;
}

/** One load run; throws when the server did not answer what the case is about. */
async function measureCase(
  server: ServerProcess,
  name: CaseName,
  seconds: number,
  connections: number,
  pool: readonly Record<string, string>[],
): Promise<RunResult> {
  const spec = CASES[name];
  const before = await server.stats();
  const load = await runLoad({
    url: server.url,
    path: spec.path,
    expectedStatus: spec.status,
    connections,
    seconds,
    ...(spec.paid ? { headerPool: pool } : {}),
  });
  const total = load.expected + load.unexpected;
  if (load.expected === 0 || load.unexpected > total * 0.01 || load.errors > 0)
    throw new Error(
      `${server.side} ${name}: expected ${spec.status}, got ${JSON.stringify(load.statuses)} and ${load.errors} errors`,
    );
  const after = await server.stats();
  // Every counted paid 200 must have been settled by the stub (a few more may be in flight at stop).
  const settled = after.calls.settle - before.calls.settle;
  if (spec.paid && (settled < load.expected || settled > load.expected + connections))
    throw new Error(`${server.side} paid: ${load.expected} responses 200 but ${settled} settlements`);
  return { ...load, cpuMicrosPerResponse: (after.cpuMicros - before.cpuMicros) / total };
}

function summarise(runs: RunResult[]): CaseSummary {
  return {
    rps: median(runs.map((r) => r.rps)),
    cpuMicrosPerResponse: median(runs.map((r) => r.cpuMicrosPerResponse)),
    runs,
  };
}

function log(line: string) {
  process.stderr.write(`  ${line}\n`);
}
