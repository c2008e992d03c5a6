// Facilitator verify throughput, EVM exact via EIP-3009 (EOA payers): our scheme vs the
// official @x402/evm 2.27 one on the same anvil, in-process and over HTTP, at several
// concurrencies, with facilitator CPU per verify and JSON-RPC calls per verify.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { startDevnet } from "@x402kit/devnet";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createFacilitatorScheme, type FacilitatorSide } from "./facilitatorEvm/facilitators.js";
import { signPaymentPool, signPermit2PaymentPool } from "./facilitatorEvm/payments.js";
import { RpcCounter } from "./facilitatorEvm/rpcCounting.js";
import type { VerifyServerMessage } from "./facilitatorEvm/verifyServer.js";
import { closedLoop, measureInProcess, mustBeValid } from "./facilitatorVerify/closedLoop.js";
import { compareSides, formatVerifyTable, SIDES, type VerifyRatio } from "./facilitatorVerify/compare.js";

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
): Promise<{ ratios: VerifyRatio[] }> {
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
    const ratios: VerifyRatio[] = [];
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
      ratios.push(...(await measureMethod(method, requirements, pool, setup, options)));
    }
    return { ratios };
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
): Promise<VerifyRatio[]> {
  // A full-length warm-up per side, then ABBA rounds.
  const seconds = options.seconds ?? 3;
  const timing = { seconds, rounds: options.rounds ?? 2, warmupSeconds: seconds };
  const concurrencies = options.concurrencies ?? [1, 8, 32];
  const ratios: VerifyRatio[] = [];
  const modes = options.modes ?? ["in-process", "http"];
  if (modes.includes("in-process")) {
    const counters = { ours: new RpcCounter(), official: new RpcCounter() };
    const steps = Object.fromEntries(
      SIDES.map((side) => {
        const scheme = createFacilitatorScheme(side, setup(side), counters[side]);
        return [side, mustBeValid((p: PaymentPayload) => scheme.verify(p, requirements))];
      }),
    ) as Record<FacilitatorSide, (p: PaymentPayload) => Promise<void>>;
    for (const concurrency of concurrencies)
      ratios.push(
        await compareSides(`${method} in-process c=${concurrency}`, timing, (side, runSeconds) =>
          measureInProcess(pool, concurrency, runSeconds, steps[side], () => counters[side].total),
        ),
      );
  }
  if (modes.includes("http")) {
    const servers = Object.fromEntries(
      await Promise.all(SIDES.map(async (side) => [side, await startVerifyServer(side, setup(side))])),
    ) as Record<FacilitatorSide, VerifyServer>;
    try {
      for (const concurrency of concurrencies)
        ratios.push(
          await compareSides(`${method} http c=${concurrency}`, timing, async (side, runSeconds) => {
            const server = servers[side];
            const before = await server.stats();
            const step = mustBeValid((p: PaymentPayload) => server.verify(p, requirements));
            const done = await closedLoop(pool, concurrency, runSeconds, step);
            const after = await server.stats();
            if (after.invalid > before.invalid)
              throw new Error(`${side}: ${after.invalid - before.invalid} invalid`);
            return {
              ...done,
              cpuMicros: after.cpuMicros - before.cpuMicros,
              calls: after.rpcCalls - before.rpcCalls,
            };
          }),
        );
    } finally {
      await Promise.all(SIDES.map((side) => servers[side].stop()));
    }
  }
  return ratios;
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

/**
 * The table of {@link measureFacilitatorEvm}'s ratios, one line per case.
 *
 * @example
 * ```ts
 * console.log(formatFacilitatorEvmTable(ratios));
 * ```
 */
export function formatFacilitatorEvmTable(ratios: readonly VerifyRatio[]): string {
  return formatVerifyTable(
    "EVM exact facilitator verify (EOA payers), ours vs official @x402/evm 2.27",
    ratios,
    "RPC",
  );
}
