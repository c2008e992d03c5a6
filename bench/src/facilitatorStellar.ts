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
import { measureInProcess, mustBeValid } from "./facilitatorVerify/closedLoop.js";
import { compareSides, formatVerifyTable, type Side, type VerifyRatio } from "./facilitatorVerify/compare.js";

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
): Promise<{ ratios: VerifyRatio[] }> {
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
    const steps: Record<Side, (p: PaymentPayload) => Promise<void>> = {
      ours: mustBeValid((p) => ours.verify(p, requirements)),
      official: mustBeValid(
        (p) => official.verify(p as never, requirements as never) as Promise<VerifyResponse>,
      ),
    };
    const rpcCalls = () => [...devnet.calls.values()].reduce((a, b) => a + b, 0);
    const ratios: VerifyRatio[] = [];
    for (const concurrency of concurrencies)
      ratios.push(
        await compareSides(`c=${concurrency}`, { seconds, rounds }, (side, runSeconds) =>
          measureInProcess(pool, concurrency, runSeconds, steps[side], rpcCalls),
        ),
      );
    return { ratios };
  } finally {
    await devnet.stop();
  }
}

/**
 * The ratios as a Markdown table.
 *
 * @example
 * ```ts
 * console.log(formatFacilitatorStellarTable((await measureFacilitatorStellar()).ratios));
 * ```
 */
export function formatFacilitatorStellarTable(ratios: readonly VerifyRatio[]): string {
  return formatVerifyTable(
    "Stellar exact facilitator verify, ours vs official @x402/stellar 2.9.0",
    ratios,
    "RPC",
  );
}
