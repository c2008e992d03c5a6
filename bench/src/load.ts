import { createRequire } from "node:module";

// autocannon ships no types (bench has no @types/autocannon): describe what is used here.
interface AutocannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
}
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
  latency: { p50: number; p99: number };
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  pipelining: number;
  requests: (AutocannonRequest & { setupRequest?: (req: AutocannonRequest) => AutocannonRequest })[];
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

/** One load run against one server. */
export interface LoadResult {
  seconds: number;
  /** Responses with the expected status (200 paid / 402 unpaid), per second. */
  rps: number;
  expected: number;
  /** Every status seen, with counts. */
  statuses: Record<string, number>;
  unexpected: number;
  errors: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

export interface LoadOptions {
  url: string;
  path: string;
  expectedStatus: number;
  connections: number;
  seconds: number;
  /** Payment headers, used round-robin across all connections (one per request). */
  headerPool?: readonly Record<string, string>[];
}

/** Where each pool of payment headers goes on. */
const cursors = new WeakMap<object, number>();

/** Hammer `url + path` and count only responses with the expected status as throughput. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const pool = options.headerPool;
  // A global (not per-connection) rotation that goes on from the last run: no two in-flight
  // requests carry the same payload as long as the pool is much larger than the connection count.
  const setupRequest = pool
    ? (req: AutocannonRequest) => {
        const next = cursors.get(pool) ?? 0;
        cursors.set(pool, next + 1);
        return { ...req, headers: { ...req.headers, ...pool[next % pool.length] } };
      }
    : undefined;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    pipelining: 1,
    requests: [{ method: "GET", path: options.path, ...(setupRequest ? { setupRequest } : {}) }],
  });
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([s, v]) => [s, v.count]));
  const total = Object.values(statuses).reduce((a, b) => a + b, 0);
  const expected = statuses[String(options.expectedStatus)] ?? 0;
  return {
    seconds: result.duration,
    rps: expected / result.duration,
    expected,
    statuses,
    unexpected: total - expected,
    errors: result.errors + result.timeouts,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
  };
}
