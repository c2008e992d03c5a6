// Facilitator verify throughput, Aptos exact (sponsored fungible-asset transfer): our scheme,
// in-process, on the local stand-in of the Aptos node REST API. The official @x402/aptos is not
// installable from the npm registry here, so there is no official side to put beside it: the
// figures are absolute. Two modes: "offline" (every check that needs no node, including the
// Ed25519 signature) and "full" (offline checks + balance read + simulation over HTTP on the
// stand-in, whose CPU runs in this process and is counted too).
import { pathToFileURL } from "node:url";
import type { Account } from "@aptos-labs/ts-sdk";
import { registerAptosNetwork } from "@x402kit/aptos";
import { ExactAptosScheme as OurClient } from "@x402kit/aptos/exact/client";
import {
  checkAptosPayment,
  ExactAptosScheme as OurFacilitator,
  toFacilitatorAptosSigner,
} from "@x402kit/aptos/exact/facilitator";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { startAptosDevnet } from "@x402kit/devnet/aptos";
import { measureInProcess, mustBeValid, type RunResult } from "./facilitatorVerify/closedLoop.js";
import { figuresOf, markdownTable, type VerifyFigures } from "./facilitatorVerify/compare.js";

/** Knobs of {@link measureFacilitatorAptos}. */
export interface FacilitatorAptosOptions {
  /** Seconds per measured run. Default 3. */
  seconds?: number;
  /** Rounds per case; figures are medians. Default 2. */
  rounds?: number;
  concurrencies?: readonly number[];
  /** Distinct signed payments verified in turn. Default 32. */
  payments?: number;
}

/** One measured case (medians over rounds). */
export interface FacilitatorAptosRow extends VerifyFigures {
  mode: "offline" | "full";
  concurrency: number;
}

/**
 * Start the stand-in, sign a pool of distinct payments with our client and measure our
 * facilitator's verification on them. Every verification must answer valid (else it throws).
 *
 * @example
 * ```ts
 * const rows = await measureFacilitatorAptos({ seconds: 3, concurrencies: [1, 8] });
 * console.log(formatFacilitatorAptos(rows));
 * ```
 */
export async function measureFacilitatorAptos(
  options: FacilitatorAptosOptions = {},
): Promise<FacilitatorAptosRow[]> {
  const seconds = options.seconds ?? 3;
  const rounds = options.rounds ?? 2;
  const concurrencies = options.concurrencies ?? [1, 8];
  const size = options.payments ?? 32;
  const devnet = await startAptosDevnet({ accounts: Math.min(size, 8) + 1 });
  try {
    registerAptosNetwork({
      network: devnet.network,
      chainId: devnet.chainId,
      nodeUrl: devnet.url,
      assets: [{ asset: devnet.usdc, decimals: 6, symbol: "USDC" }],
    });
    const payTo = devnet.accounts[0] as Account;
    const payers = devnet.accounts.slice(1);
    const requirements: PaymentRequirements = {
      scheme: "exact",
      network: devnet.network,
      amount: "1000",
      asset: devnet.usdc,
      payTo: payTo.accountAddress.toStringLong(),
      maxTimeoutSeconds: 3600,
      extra: { feePayer: devnet.feePayer.accountAddress.toStringLong() },
    };
    const pool: PaymentPayload[] = [];
    for (let i = 0; i < size; i++) {
      // Distinct amounts → distinct transactions and signatures.
      const asked = { ...requirements, amount: String(1000 + i) };
      const client = new OurClient(payers[i % payers.length] as Account, { expirationSeconds: 3600 });
      const { payload } = await client.createPaymentPayload(2, asked);
      pool.push({ x402Version: 2, accepted: asked, payload });
    }
    const facilitator = new OurFacilitator(
      toFacilitatorAptosSigner(devnet.feePayer, { defaultRpcUrl: devnet.url }),
    );
    const feePayers = facilitator.getSigners(devnet.network);
    let nodeCalls = 0;
    const ledger = devnet.ledger;
    const simulate = ledger.simulate.bind(ledger);
    const balance = ledger.balance.bind(ledger);
    ledger.simulate = (bytes) => {
      nodeCalls++;
      return simulate(bytes);
    };
    ledger.balance = (owner, asset) => {
      nodeCalls++;
      return balance(owner, asset);
    };

    const steps: Record<FacilitatorAptosRow["mode"], (p: PaymentPayload) => Promise<void>> = {
      offline: mustBeValid(
        async (p: PaymentPayload) =>
          checkAptosPayment(p, p.accepted, {
            feePayers,
            nowSeconds: Math.floor(Date.now() / 1000),
            maxGasAmount: 500_000n,
            maxGasUnitPrice: 1_000n,
          }).ok,
      ),
      full: mustBeValid((p: PaymentPayload) => facilitator.verify(p, p.accepted)),
    };
    const rows: FacilitatorAptosRow[] = [];
    for (const mode of ["offline", "full"] as const)
      for (const concurrency of concurrencies) {
        const run = (runSeconds: number) =>
          measureInProcess(pool, concurrency, runSeconds, steps[mode], () => nodeCalls);
        await run(Math.min(seconds, 0.5)); // warm-up
        const runs: RunResult[] = [];
        for (let round = 0; round < rounds; round++) runs.push(await run(seconds));
        rows.push({ mode, concurrency, ...figuresOf(runs) });
      }
    return rows;
  } finally {
    await devnet.stop();
  }
}

/**
 * A small table of {@link measureFacilitatorAptos}'s rows.
 *
 * @example
 * ```ts
 * console.log(formatFacilitatorAptos(await measureFacilitatorAptos()));
 * ```
 */
export function formatFacilitatorAptos(rows: readonly FacilitatorAptosRow[]): string {
  const table = markdownTable(
    ["case", "verify/s", "CPU µs/verify", "node calls/verify"],
    rows.map((r) => [
      `${r.mode} c=${r.concurrency}`,
      r.verifiesPerSecond.toFixed(0),
      r.cpuMicrosPerVerify.toFixed(0),
      r.callsPerVerify.toFixed(1),
    ]),
  );
  return [
    "Aptos exact facilitator verify, ours only (the official @x402/aptos is not installable here; full = with the local stand-in's CPU)",
    table,
  ].join("\n");
}

// `node --conditions=@x402kit/source --import tsx bench/src/facilitatorAptos.ts` runs it alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const seconds = Number(process.env.BENCH_SECONDS ?? 3);
  console.log(formatFacilitatorAptos(await measureFacilitatorAptos({ seconds })));
}
