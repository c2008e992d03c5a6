// Facilitator verify throughput, Stellar exact (SEP-41 transfer with a signed auth entry): our
// scheme vs the official @x402/stellar 2.9.0 one, in-process, on the same local Soroban RPC
// stand-in (labelled stellar:testnet: the official package knows no other network; plain HTTP,
// which its facilitator allows on testnet). Both sides simulate on the stand-in, so its work is
// in both figures alike.
import { Networks } from "@stellar/stellar-sdk";
import { createEd25519Signer as officialSigner } from "@x402/stellar";
import { ExactStellarScheme as OfficialFacilitator } from "@x402/stellar/exact/facilitator";
import type { PaymentPayload, PaymentRequirements, VerifyResponse } from "@x402kit/core";
import { startStellarDevnet } from "@x402kit/devnet/stellar";
import { createEd25519Signer } from "@x402kit/stellar";
import { ExactStellarScheme as OurClient } from "@x402kit/stellar/exact/client";
import { ExactStellarScheme as OurFacilitator } from "@x402kit/stellar/exact/facilitator";

/** Knobs of {@link measureFacilitatorStellar}. */
export interface FacilitatorStellarOptions {
  /** Seconds per measured run. Default 3. */
  seconds?: number;
  /** Rounds per case (sides alternate ABBA); figures are medians. Default 2. */
  rounds?: number;
  concurrencies?: readonly number[];
  /** Distinct signed payments verified in turn. Default 32. */
  payments?: number;
}

/** One measured case, per side. */
export interface FacilitatorStellarRow {
  concurrency: number;
  side: "ours" | "official";
  verifiesPerSecond: number;
  cpuMicrosPerVerify: number;
  rpcCallsPerVerify: number;
}

/** Ours/official ratios of one concurrency. */
export interface FacilitatorStellarRatio {
  concurrency: number;
  /** ours verify/s ÷ official verify/s (higher is better). */
  throughput: number;
  /** ours CPU per verify ÷ official's (lower is better; the stand-in's CPU is in both). */
  cpu: number;
  ours: FacilitatorStellarRow;
  official: FacilitatorStellarRow;
}

type Verify = (payload: PaymentPayload, requirements: PaymentRequirements) => Promise<VerifyResponse>;

/**
 * Start the stand-in, sign a pool of distinct payments with our client and measure both
 * facilitator schemes' `verify` on them. Every verification must answer valid (else it throws).
 * The official scheme asks Horizon (horizon-testnet.stellar.org) for the ledger close time on
 * every verify; no such host is reachable here, so each verify waits for that lookup to fail
 * and falls back to 5 s. That round trip is most of the gap (ours caches the estimate a
 * minute); on a machine with internet access it is a real Horizon request instead.
 *
 * @example
 * ```ts
 * const { ratios } = await measureFacilitatorStellar({ seconds: 3, concurrencies: [1, 8] });
 * ```
 */
export async function measureFacilitatorStellar(
  options: FacilitatorStellarOptions = {},
): Promise<{ rows: FacilitatorStellarRow[]; ratios: FacilitatorStellarRatio[] }> {
  const seconds = options.seconds ?? 3;
  const rounds = options.rounds ?? 2;
  const concurrencies = options.concurrencies ?? [1, 8];
  const devnet = await startStellarDevnet({ networkPassphrase: Networks.TESTNET });
  try {
    const facilitator = devnet.createAccount();
    const payTo = devnet.createAccount();
    const usdc = devnet.deployToken("USDC", 7);
    const requirements = {
      scheme: "exact",
      network: "stellar:testnet",
      amount: "1000",
      asset: usdc,
      payTo: payTo.publicKey(),
      // Long enough that no authorization expires during the runs.
      maxTimeoutSeconds: 3600,
      extra: { areFeesSponsored: true },
    } as PaymentRequirements;
    const pool: PaymentPayload[] = [];
    for (let i = 0; i < (options.payments ?? 32); i++) {
      const payer = devnet.createAccount();
      devnet.mint(usdc, payer.publicKey(), 1_000_000n);
      const client = new OurClient(createEd25519Signer(payer.secret(), "stellar:testnet"), {
        url: devnet.rpcUrl,
      });
      const created = await client.createPaymentPayload(2, requirements);
      pool.push({
        ...created,
        accepted: requirements,
        resource: { url: "http://bench/", description: "", mimeType: "" },
      } as PaymentPayload);
    }
    const ours = new OurFacilitator([createEd25519Signer(facilitator.secret(), "stellar:testnet")], {
      rpcConfig: { url: devnet.rpcUrl },
    });
    const official = new OfficialFacilitator([officialSigner(facilitator.secret(), "stellar:testnet")], {
      rpcConfig: { url: devnet.rpcUrl },
    });
    const sides: Record<"ours" | "official", Verify> = {
      ours: (p, r) => ours.verify(p, r),
      official: (p, r) => official.verify(p as never, r as never) as Promise<VerifyResponse>,
    };
    const rpcCalls = () => [...devnet.calls.values()].reduce((a, b) => a + b, 0);
    const rows: FacilitatorStellarRow[] = [];
    const ratios: FacilitatorStellarRatio[] = [];
    for (const concurrency of concurrencies) {
      const runs: Record<"ours" | "official", FacilitatorStellarRow[]> = { ours: [], official: [] };
      for (let round = 0; round < rounds; round++) {
        const order: Array<"ours" | "official"> = round % 2 ? ["official", "ours"] : ["ours", "official"];
        for (const side of order) {
          const calls = rpcCalls();
          const measured = await run(sides[side], pool, requirements, concurrency, seconds);
          runs[side].push({
            concurrency,
            side,
            verifiesPerSecond: measured.count / measured.seconds,
            cpuMicrosPerVerify: measured.cpuMicros / measured.count,
            rpcCallsPerVerify: (rpcCalls() - calls) / measured.count,
          });
        }
      }
      const oursRow = median(runs.ours);
      const officialRow = median(runs.official);
      rows.push(oursRow, officialRow);
      ratios.push({
        concurrency,
        throughput: oursRow.verifiesPerSecond / officialRow.verifiesPerSecond,
        cpu: oursRow.cpuMicrosPerVerify / officialRow.cpuMicrosPerVerify,
        ours: oursRow,
        official: officialRow,
      });
    }
    return { rows, ratios };
  } finally {
    await devnet.stop();
  }
}

/** Verify payments from the pool with `concurrency` workers for `seconds`. */
async function run(
  verify: Verify,
  pool: readonly PaymentPayload[],
  requirements: PaymentRequirements,
  concurrency: number,
  seconds: number,
): Promise<{ count: number; seconds: number; cpuMicros: number }> {
  let next = 0;
  let count = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const payment = pool[next++ % pool.length]!;
      const verdict = await verify(payment, requirements);
      if (!verdict.isValid) throw new Error(`verify answered ${verdict.invalidReason}`);
      count++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const used = process.cpuUsage(cpu);
  return { count, seconds: (performance.now() - start) / 1000, cpuMicros: used.user + used.system };
}

function median(rows: FacilitatorStellarRow[]): FacilitatorStellarRow {
  const sorted = [...rows].sort((a, b) => a.verifiesPerSecond - b.verifiesPerSecond);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
