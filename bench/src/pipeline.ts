// "Pipeline only": each SDK's framework-free server pipeline driven directly in this process
// (no HTTP, no express), over the same stub facilitator, route, price and payload pool.

import {
  type HTTPAdapter,
  x402HTTPResourceServer as OfficialHttpServer,
  x402ResourceServer as OfficialServer,
} from "@x402/core/server";
import { ExactEvmScheme } from "@x402/evm/exact/server";
import { x402HTTPResourceServer, x402ResourceServer } from "@x402kit/core/server";
import { ExactEvmScheme as OurExactEvmScheme } from "@x402kit/evm/exact/server";
import { OUR_HTTP_OPTIONS, PAID_PATH, ROUTES } from "./config.js";
import { median } from "./median.js";
import { type Side, signPool } from "./presign.js";
import { createStubFacilitator, type StubFacilitator } from "./servers/stubFacilitator.js";
import { SIDES } from "./throughput.js";

const URL = `http://bench.local${PAID_PATH}`;
/** Lower-cased header name → value; `{}` is an unpaid request. */
type Headers = Record<string, string>;
const NO_HEADERS: Headers = {};
const reader = (headers: Headers) => (name: string) => headers[name.toLowerCase()];

/**
 * One side's pipeline; every step throws unless the outcome is the expected one. Request
 * objects are built up front, so the timed loop runs library code only.
 */
interface Pipeline {
  stub: StubFacilitator;
  /** No payment: must be a 402; returns its headers (for the client to sign against). */
  unpaid(): Promise<Record<string, string>>;
  /** One step per payload of the pool: must verify, then settle successfully. */
  paidSteps(pool: Headers[]): (() => Promise<void>)[];
}

const fail = (side: Side, what: string, got: unknown): never => {
  throw new Error(
    `pipeline ${side} ${what}: unexpected ${refusal(got) ?? JSON.stringify(got).slice(0, 400)}`,
  );
};

/** The `error` of a 402's PAYMENT-REQUIRED header, which says why a payment was refused. */
function refusal(got: unknown): string | undefined {
  const header = (got as { response?: { headers?: Record<string, string> } }).response?.headers?.[
    "PAYMENT-REQUIRED"
  ];
  if (!header) return undefined;
  const { error } = JSON.parse(Buffer.from(header, "base64").toString()) as { error?: string };
  return `402 ${error ?? "(no error)"}`;
}

async function ours(): Promise<Pipeline> {
  const stub = createStubFacilitator();
  const server = new x402ResourceServer(stub).register("eip155:*", new OurExactEvmScheme());
  const http = new x402HTTPResourceServer(server, ROUTES, OUR_HTTP_OPTIONS);
  await http.initialize();
  const request = (headers: Headers) => ({
    method: "GET",
    path: PAID_PATH,
    url: URL,
    getHeader: reader(headers),
  });
  const unpaid = request(NO_HEADERS);
  return {
    stub,
    async unpaid() {
      const r = await http.processRequest(unpaid);
      if (r.type !== "payment-error" || r.response.status !== 402) return fail("ours", "unpaid", r);
      return r.response.headers;
    },
    paidSteps: (pool) =>
      pool
        .map((h) => request(h))
        .map((paid) => async () => {
          const r = await http.processRequest(paid);
          if (r.type !== "payment-verified") return fail("ours", "paid", r);
          const settled = await r.payment.settle();
          if (settled.type !== "settled") fail("ours", "settle", settled);
        }),
  };
}

async function official(): Promise<Pipeline> {
  const stub = createStubFacilitator();
  const server = new OfficialServer(stub).register("eip155:*", new ExactEvmScheme());
  const http = new OfficialHttpServer(server, ROUTES);
  await http.initialize();
  // What a framework adapter hands the pipeline: the request behind HTTPAdapter.
  const context = (headers: Headers) => {
    const getHeader = reader(headers);
    const adapter: HTTPAdapter = {
      getHeader,
      getMethod: () => "GET",
      getPath: () => PAID_PATH,
      getUrl: () => URL,
      getAcceptHeader: () => "",
      getUserAgent: () => "",
    };
    return { adapter, path: PAID_PATH, method: "GET", paymentHeader: getHeader("payment-signature") };
  };
  const unpaid = context(NO_HEADERS);
  return {
    stub,
    async unpaid() {
      const r = await http.processHTTPRequest(unpaid);
      if (r.type !== "payment-error" || r.response.status !== 402) return fail("official", "unpaid", r);
      return r.response.headers;
    },
    paidSteps: (pool) =>
      pool
        .map((h) => context(h))
        .map((paid) => async () => {
          const r = await http.processHTTPRequest(paid);
          if (r.type !== "payment-verified") return fail("official", "paid", r);
          const settled = await http.processSettlement(
            r.paymentPayload,
            r.paymentRequirements,
            r.declaredExtensions,
          );
          if (!settled.success) fail("official", "settle", settled);
        }),
  };
}

export interface PipelineOptions {
  iterations: number;
  warmupIterations: number;
  rounds: number;
  poolSize: number;
}

export interface PipelineCase {
  /** Median over rounds of wall-clock µs per request (sequential awaits). */
  microsPerRequest: number;
  /** 1e6 / microsPerRequest. */
  rps: number;
  /** Median over rounds of this process's CPU µs per request (GC threads included). */
  cpuMicrosPerRequest: number;
  runs: Timing[];
}

/** One measured run: wall-clock and process CPU µs per request. */
interface Timing {
  micros: number;
  cpuMicros: number;
}

export type PipelineResult = Record<"paid" | "unpaid", Record<Side, PipelineCase>>;

/** Set both pipelines up, check a paid request each, then time both cases in ABBA rounds. */
export async function measurePipeline(options: PipelineOptions): Promise<PipelineResult> {
  const pipelines: Record<Side, Pipeline> = { ours: await ours(), official: await official() };
  const steps = {} as Record<Side, (() => Promise<void>)[]>;
  for (const side of SIDES) {
    const required = reader(lowerCase(await pipelines[side].unpaid()));
    const pool = (await signPool(side, required, options.poolSize)).map(lowerCase);
    steps[side] = pipelines[side].paidSteps(pool);
    await timed(side, pipelines[side], "paid", steps[side], 1); // the correctness check
  }
  const result = {} as PipelineResult;
  for (const name of ["paid", "unpaid"] as const) {
    const runs: Record<Side, Timing[]> = { ours: [], official: [] };
    for (const side of SIDES) await timed(side, pipelines[side], name, steps[side], options.warmupIterations);
    for (let round = 0; round < options.rounds; round++) {
      for (const side of round % 2 === 0 ? SIDES : [...SIDES].reverse()) {
        const run = await timed(side, pipelines[side], name, steps[side], options.iterations);
        runs[side].push(run);
        const [micros, cpu] = [run.micros.toFixed(1), run.cpuMicros.toFixed(1)];
        process.stderr.write(
          `  pipeline ${name.padEnd(6)} ${side.padEnd(8)} round ${round + 1}: ${micros} µs/req, ${cpu} µs CPU/req\n`,
        );
      }
    }
    const summary = (list: Timing[]): PipelineCase => {
      const micros = median(list.map((r) => r.micros));
      const cpuMicrosPerRequest = median(list.map((r) => r.cpuMicros));
      return { microsPerRequest: micros, rps: 1e6 / micros, cpuMicrosPerRequest, runs: list };
    };
    result[name] = { ours: summary(runs.ours), official: summary(runs.official) };
  }
  return result;
}

/** `iterations` sequential requests; µs per request (wall, CPU). Checks the stub saw exactly what it should. */
/** Where each pool of paid steps goes on. */
const cursors = new WeakMap<object, number>();

async function timed(
  side: Side,
  pipeline: Pipeline,
  name: "paid" | "unpaid",
  paidSteps: (() => Promise<void>)[],
  iterations: number,
): Promise<Timing> {
  const before = { ...pipeline.stub.calls };
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  // Each run goes on where the last one stopped: restarting at 0 would reuse a payload moments
  // after the last run used it (our server refuses a payment whose claim is still live).
  let next = cursors.get(paidSteps) ?? 0;
  if (name === "paid") for (let i = 0; i < iterations; i++) await paidSteps[next++ % paidSteps.length]!();
  else for (let i = 0; i < iterations; i++) await pipeline.unpaid();
  cursors.set(paidSteps, next);
  const micros = Number(process.hrtime.bigint() - start) / 1e3 / iterations;
  const cpu = process.cpuUsage(cpuStart);
  const expected = name === "paid" ? iterations : 0;
  const { verify, settle } = pipeline.stub.calls;
  if (verify - before.verify !== expected || settle - before.settle !== expected)
    throw new Error(
      `pipeline ${side} ${name}: ${iterations} requests, ${verify - before.verify} verify, ${settle - before.settle} settle`,
    );
  return { micros, cpuMicros: (cpu.user + cpu.system) / iterations };
}

function lowerCase(headers: Record<string, string>): Headers {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
