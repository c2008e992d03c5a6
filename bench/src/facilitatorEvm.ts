// Facilitator verify throughput, EVM exact via EIP-3009 (EOA payers): our scheme vs the
// official @x402/evm 2.27 one on the same anvil, in-process and over HTTP, at several
// concurrencies, with facilitator CPU per verify and JSON-RPC calls per verify.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { startDevnet } from "@x402kit/devnet";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  createFacilitatorScheme,
  type FacilitatorSide,
  type VerifyingScheme,
} from "./facilitatorEvm/facilitators.js";
import { signPaymentPool, signPermit2PaymentPool } from "./facilitatorEvm/payments.js";
import { RpcCounter } from "./facilitatorEvm/rpcCounting.js";
import type { VerifyServerMessage } from "./facilitatorEvm/verifyServer.js";

/** Knobs of {@link measureFacilitatorEvm}. */
export interface FacilitatorEvmOptions {
  /** Seconds per measured run. Default 3. */
  seconds?: number;
  /** Rounds per case (sides alternate ABBA); figures are medians. Default 2. */
  rounds?: number;
  concurrencies?: readonly number[];
  /** Distinct payers (funded on the devnet). Default 64. */
  payers?: number;
  /** Where to measure. Default both. */
  modes?: ReadonlyArray<"in-process" | "http">;
  /** Which `exact` transfer methods. Default both. */
  methods?: readonly TransferMethod[];
}

/** `exact`'s asset transfer methods. */
export type TransferMethod = "eip3009" | "permit2";

/** One measured case, per side. */
export interface FacilitatorEvmRow {
  method: TransferMethod;
  mode: "in-process" | "http";
  concurrency: number;
  side: FacilitatorSide;
  verifiesPerSecond: number;
  cpuMicrosPerVerify: number;
  rpcCallsPerVerify: number;
}

/** Ours/official ratios of one case. */
export interface FacilitatorEvmRatio {
  method: TransferMethod;
  mode: "in-process" | "http";
  concurrency: number;
  /** ours verify/s ÷ official verify/s (higher is better). */
  throughput: number;
  /** ours CPU per verify ÷ official's (lower is better). */
  cpu: number;
  ours: FacilitatorEvmRow;
  official: FacilitatorEvmRow;
}

const SIDES: readonly FacilitatorSide[] = ["ours", "official"];

/**
 * Start a devnet with `payers` funded accounts, sign a pool of distinct payments per transfer
 * method (EIP-3009; Permit2 after each payer approved Permit2) and measure both facilitator
 * schemes' verify. Every verification must answer valid (else it throws).
 *
 * @example
 * ```ts
 * const { ratios } = await measureFacilitatorEvm({ seconds: 3, concurrencies: [1, 8, 32] });
 * ```
 */
export async function measureFacilitatorEvm(
  options: FacilitatorEvmOptions = {},
): Promise<{ rows: FacilitatorEvmRow[]; ratios: FacilitatorEvmRatio[] }> {
  const payerKeys = Array.from({ length: options.payers ?? 64 }, () => generatePrivateKey());
  const devnet = await startDevnet({
    fund: payerKeys.map((key) => ({ address: privateKeyToAccount(key).address })),
  });
  try {
    const keys: Record<FacilitatorSide, `0x${string}`> = {
      ours: devnet.accounts.facilitator.privateKey,
      official: devnet.accounts.other.privateKey,
    };
    const setup = (side: FacilitatorSide) => ({
      rpcUrl: devnet.rpcUrl,
      chainId: devnet.chainId,
      privateKey: keys[side],
    });
    const rows: FacilitatorEvmRow[] = [];
    for (const method of options.methods ?? ["eip3009", "permit2"]) {
      const requirements: PaymentRequirements = {
        scheme: "exact",
        network: devnet.network,
        amount: "1000",
        asset: devnet.usdc.address,
        payTo: devnet.accounts.payTo.address,
        maxTimeoutSeconds: 300,
        extra: {
          name: devnet.usdc.name,
          version: devnet.usdc.version,
          ...(method === "permit2" ? { assetTransferMethod: "permit2" } : {}),
        },
      };
      let pool: PaymentPayload[];
      if (method === "permit2") {
        // Each payer approves Permit2 once (paying its own gas).
        await Promise.all(
          payerKeys.map(async (privateKey) => {
            const { address } = privateKeyToAccount(privateKey);
            await devnet.testClient.setBalance({ address, value: 10n ** 18n });
            await devnet.approvePermit2({ address, privateKey }, devnet.usdc.address);
          }),
        );
        pool = await signPermit2PaymentPool(payerKeys, requirements, 4);
      } else pool = await signPaymentPool(payerKeys, requirements, devnet.chainId, 4);
      rows.push(...(await measureMethod(method, requirements, pool, setup, options)));
    }
    return { rows, ratios: ratiosOf(rows) };
  } finally {
    await devnet.stop();
  }
}

/** Both sides, every mode and concurrency, for one transfer method's payment pool. */
async function measureMethod(
  method: TransferMethod,
  requirements: PaymentRequirements,
  pool: readonly PaymentPayload[],
  setup: (side: FacilitatorSide) => { rpcUrl: string; chainId: number; privateKey: `0x${string}` },
  options: FacilitatorEvmOptions,
): Promise<FacilitatorEvmRow[]> {
  const seconds = options.seconds ?? 3;
  const rounds = options.rounds ?? 2;
  const concurrencies = options.concurrencies ?? [1, 8, 32];
  const rows: FacilitatorEvmRow[] = [];
  const modes = options.modes ?? ["in-process", "http"];
  if (modes.includes("in-process")) {
    const counters = { ours: new RpcCounter(), official: new RpcCounter() };
    const schemes = Object.fromEntries(
      SIDES.map((side) => [side, createFacilitatorScheme(side, setup(side), counters[side])]),
    ) as Record<FacilitatorSide, VerifyingScheme>;
    for (const concurrency of concurrencies)
      rows.push(
        ...(await measureCase(method, "in-process", concurrency, rounds, async (side) => {
          const verify = (p: PaymentPayload) => schemes[side].verify(p, requirements);
          const cpu = process.cpuUsage();
          const calls = counters[side].total;
          const done = await drive(verify, pool, concurrency, seconds);
          const used = process.cpuUsage(cpu);
          return { ...done, cpuMicros: used.user + used.system, rpcCalls: counters[side].total - calls };
        })),
      );
  }
  if (modes.includes("http")) {
    const servers = Object.fromEntries(
      await Promise.all(SIDES.map(async (side) => [side, await startVerifyServer(side, setup(side))])),
    ) as Record<FacilitatorSide, VerifyServer>;
    try {
      for (const concurrency of concurrencies)
        rows.push(
          ...(await measureCase(method, "http", concurrency, rounds, async (side) => {
            const server = servers[side];
            const before = await server.stats();
            const done = await drive((p) => server.verify(p, requirements), pool, concurrency, seconds);
            const after = await server.stats();
            if (after.invalid > before.invalid)
              throw new Error(`${side}: ${after.invalid - before.invalid} invalid`);
            return {
              ...done,
              cpuMicros: after.cpuMicros - before.cpuMicros,
              rpcCalls: after.rpcCalls - before.rpcCalls,
            };
          })),
        );
    } finally {
      await Promise.all(SIDES.map((side) => servers[side].stop()));
    }
  }
  return rows;
}

type RunResult = { verifies: number; elapsedMs: number; cpuMicros: number; rpcCalls: number };

/** A warm-up per side, then `rounds` rounds in ABBA order; medians per side. */
async function measureCase(
  method: TransferMethod,
  mode: FacilitatorEvmRow["mode"],
  concurrency: number,
  rounds: number,
  run: (side: FacilitatorSide) => Promise<RunResult>,
): Promise<FacilitatorEvmRow[]> {
  for (const side of SIDES) await run(side);
  const results: Record<FacilitatorSide, RunResult[]> = { ours: [], official: [] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? SIDES : [...SIDES].reverse();
    for (const side of order) results[side].push(await run(side));
  }
  return SIDES.map((side) => {
    const runs = results[side];
    return {
      method,
      mode,
      concurrency,
      side,
      verifiesPerSecond: median(runs.map((r) => (r.verifies * 1000) / r.elapsedMs)),
      cpuMicrosPerVerify: median(runs.map((r) => r.cpuMicros / r.verifies)),
      rpcCallsPerVerify: median(runs.map((r) => r.rpcCalls / r.verifies)),
    };
  });
}

/** `concurrency` workers verifying payments of the pool in turn for `seconds`; all must be valid. */
async function drive(
  verify: (payload: PaymentPayload) => Promise<{ isValid: boolean; invalidReason?: string | null }>,
  pool: readonly PaymentPayload[],
  concurrency: number,
  seconds: number,
): Promise<{ verifies: number; elapsedMs: number }> {
  let next = 0;
  let verifies = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const payload = pool[next++ % pool.length] as PaymentPayload;
        const result = await verify(payload);
        if (!result.isValid) throw new Error(`verify answered invalid: ${result.invalidReason}`);
        verifies++;
      }
    }),
  );
  return { verifies, elapsedMs: performance.now() - start };
}

interface VerifyServer {
  verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<{ isValid: boolean }>;
  stats(): Promise<{ cpuMicros: number; rpcCalls: number; invalid: number }>;
  stop(): Promise<void>;
}

/** Fork `facilitatorEvm/verifyServer.ts` for `side` (same loader flags as this process). */
function startVerifyServer(
  side: FacilitatorSide,
  setup: { rpcUrl: string; chainId: number; privateKey: `0x${string}` },
): Promise<VerifyServer> {
  const file = fileURLToPath(new URL("./facilitatorEvm/verifyServer.ts", import.meta.url));
  const child = fork(file, {
    execArgv: process.execArgv,
    env: {
      ...process.env,
      BENCH_FACILITATOR_SIDE: side,
      BENCH_RPC_URL: setup.rpcUrl,
      BENCH_CHAIN_ID: String(setup.chainId),
      BENCH_PRIVATE_KEY: setup.privateKey,
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${side} verify server exited early (${code})`)));
    child.once("message", (message: VerifyServerMessage) => {
      if (message.type !== "ready") return reject(new Error(`${side}: unexpected ${message.type}`));
      child.removeAllListeners("exit");
      const url = `http://127.0.0.1:${message.port}/verify`;
      resolve({
        async verify(paymentPayload, paymentRequirements) {
          const response = await fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ x402Version: 2, paymentPayload, paymentRequirements }),
          });
          if (!response.ok) throw new Error(`${side} verify server: HTTP ${response.status}`);
          return (await response.json()) as { isValid: boolean };
        },
        stats: () =>
          new Promise((done) => {
            const listener = (m: VerifyServerMessage) => {
              if (m.type !== "stats") return;
              child.off("message", listener);
              done(m);
            };
            child.on("message", listener);
            child.send("stats");
          }),
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.send("stop");
          }),
      });
    });
  });
}

function ratiosOf(rows: readonly FacilitatorEvmRow[]): FacilitatorEvmRatio[] {
  const ratios: FacilitatorEvmRatio[] = [];
  for (const ours of rows.filter((row) => row.side === "ours")) {
    const official = rows.find(
      (row) =>
        row.side === "official" &&
        row.method === ours.method &&
        row.mode === ours.mode &&
        row.concurrency === ours.concurrency,
    );
    if (!official) continue;
    ratios.push({
      method: ours.method,
      mode: ours.mode,
      concurrency: ours.concurrency,
      throughput: ours.verifiesPerSecond / official.verifiesPerSecond,
      cpu: ours.cpuMicrosPerVerify / official.cpuMicrosPerVerify,
      ours,
      official,
    });
  }
  return ratios;
}

/**
 * The table of {@link measureFacilitatorEvm}'s ratios, one line per case.
 *
 * @example
 * ```ts
 * console.log(formatFacilitatorEvmTable(ratios));
 * ```
 */
export function formatFacilitatorEvmTable(ratios: readonly FacilitatorEvmRatio[]): string {
  const lines = [
    "facilitator verify, exact (EOA payers)   | verify/s ours | official | ratio | CPU µs/verify ours | official | ratio | RPC/verify ours | official",
  ];
  for (const r of ratios)
    lines.push(
      [
        `${r.method.padEnd(8)} ${r.mode.padEnd(10)} c=${String(r.concurrency).padEnd(3)}`.padEnd(40),
        r.ours.verifiesPerSecond.toFixed(0).padStart(13),
        r.official.verifiesPerSecond.toFixed(0).padStart(8),
        `${r.throughput.toFixed(2)}×`.padStart(5),
        r.ours.cpuMicrosPerVerify.toFixed(0).padStart(18),
        r.official.cpuMicrosPerVerify.toFixed(0).padStart(8),
        r.cpu.toFixed(3).padStart(5),
        r.ours.rpcCallsPerVerify.toFixed(2).padStart(15),
        r.official.rpcCallsPerVerify.toFixed(2).padStart(8),
      ].join(" | "),
    );
  return lines.join("\n");
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
