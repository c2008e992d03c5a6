// EVM facilitator settlement under load: N concurrent distinct EIP-3009 payments settled
// in-process on one anvil by our ExactEvmScheme (one key, two keys) and by the official
// @x402/evm 2.27 one (one key). Reports settles/s, failures and nonce errors of each.
import { toFacilitatorEvmSigner as officialFacilitatorSigner } from "@x402/evm";
import { ExactEvmScheme as OfficialExactEvmScheme } from "@x402/evm/exact/facilitator";
import type { PaymentPayload, PaymentRequirements, SettleResponse } from "@x402kit/core";
import { type DevAccount, type Devnet, startDevnet } from "@x402kit/devnet";
import {
  combineFacilitatorEvmSigners,
  ExactEvmScheme,
  toFacilitatorEvmSigner,
} from "@x402kit/evm/exact/facilitator";
import { publicActions } from "viem";
import { signPaymentPool } from "./facilitatorEvm/payments.js";

/** One case of {@link measureSettleLoad}. */
export interface SettleLoadRow {
  side: "ours, 1 key" | "ours, 2 keys" | "official, 1 key";
  payments: number;
  seconds: number;
  settlesPerSecond: number;
  settled: number;
  /** Answers whose message names a nonce problem (`nonce too low`, `replacement underpriced`, …). */
  nonceErrors: number;
  /** Other failures. */
  otherFailures: number;
}

/** Knobs of {@link measureSettleLoad}. */
export interface SettleLoadOptions {
  /** Concurrent payments per round. Default 50. */
  payments?: number;
  /** Rounds per case (the best is kept). Default 2. */
  rounds?: number;
}

type Settle = (payload: PaymentPayload, requirements: PaymentRequirements) => Promise<SettleResponse>;

/**
 * Settle `payments` concurrent distinct payments per round with each facilitator, on one anvil.
 *
 * @example
 * ```ts
 * const rows = await measureSettleLoad({ payments: 50 });
 * console.log(formatSettleLoadTable(rows));
 * ```
 */
export async function measureSettleLoad(options: SettleLoadOptions = {}): Promise<SettleLoadRow[]> {
  const payments = options.payments ?? 50;
  const rounds = options.rounds ?? 2;
  const devnet = await startDevnet();
  try {
    const requirements: PaymentRequirements = {
      scheme: "exact",
      network: devnet.network,
      amount: "1000",
      asset: devnet.usdc.address,
      payTo: devnet.accounts.payTo.address,
      maxTimeoutSeconds: 600,
      extra: { name: devnet.usdc.name, version: devnet.usdc.version },
    };
    const keys = [5, 6, 7].map((i) => devnet.allAccounts[i] as DevAccount);
    const ours = (accounts: DevAccount[]): Settle => {
      const signer = combineFacilitatorEvmSigners(
        accounts.map((a) =>
          toFacilitatorEvmSigner({
            walletClient: devnet.walletClient(a),
            publicClient: devnet.publicClient as never,
          }),
        ),
      );
      const scheme = new ExactEvmScheme(signer, { receiptTimeoutMs: 60_000 });
      return (p, r) => scheme.settle(p, r);
    };
    const official = (account: DevAccount): Settle => {
      const client = devnet.walletClient(account).extend(publicActions);
      const signer = officialFacilitatorSigner({ ...client, address: account.address } as never);
      const scheme = new OfficialExactEvmScheme(signer);
      return (p, r) => scheme.settle(p as never, r as never) as Promise<SettleResponse>;
    };
    const cases: Array<[SettleLoadRow["side"], Settle]> = [
      ["ours, 1 key", ours([keys[0]!])],
      ["ours, 2 keys", ours([keys[1]!, keys[0]!])],
      ["official, 1 key", official(keys[2]!)],
    ];
    const rows: SettleLoadRow[] = [];
    for (const [side, settle] of cases) {
      let best: SettleLoadRow | undefined;
      for (let round = 0; round < rounds; round++) {
        const pool = await freshPayments(devnet, requirements, payments);
        const row = await oneRound(side, settle, pool, requirements);
        if (!best || row.seconds < best.seconds) best = row;
      }
      rows.push(best as SettleLoadRow);
    }
    return rows;
  } finally {
    await devnet.stop();
  }
}

async function freshPayments(devnet: Devnet, requirements: PaymentRequirements, count: number) {
  const payers = [devnet.accounts.payer, devnet.accounts.other].map((a) => a.privateKey);
  const pool = await signPaymentPool(payers, requirements, devnet.chainId, Math.ceil(count / payers.length));
  return pool.slice(0, count);
}

async function oneRound(
  side: SettleLoadRow["side"],
  settle: Settle,
  pool: PaymentPayload[],
  requirements: PaymentRequirements,
): Promise<SettleLoadRow> {
  const started = performance.now();
  const answers = await Promise.all(
    pool.map((p) =>
      settle(p, requirements).catch(
        (error: unknown): SettleResponse => ({
          success: false,
          errorReason: "thrown",
          errorMessage: String(error),
          transaction: "",
          network: requirements.network,
        }),
      ),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const failures = answers.filter((a) => !a.success);
  const nonceErrors = failures.filter((a) => /nonce|underpriced/i.test(a.errorMessage ?? "")).length;
  return {
    side,
    payments: pool.length,
    seconds,
    settlesPerSecond: (answers.length - failures.length) / seconds,
    settled: answers.length - failures.length,
    nonceErrors,
    otherFailures: failures.length - nonceErrors,
  };
}

/**
 * A table of {@link measureSettleLoad}'s rows.
 *
 * @example
 * ```ts
 * console.log(formatSettleLoadTable(await measureSettleLoad()));
 * ```
 */
export function formatSettleLoadTable(rows: readonly SettleLoadRow[]): string {
  const lines = [
    "facilitator settle under load (EIP-3009) | payments | s     | settled/s | settled | nonce errors | other failures",
  ];
  for (const r of rows)
    lines.push(
      [
        r.side.padEnd(40),
        String(r.payments).padStart(8),
        r.seconds.toFixed(2).padStart(5),
        r.settlesPerSecond.toFixed(0).padStart(9),
        String(r.settled).padStart(7),
        String(r.nonceErrors).padStart(12),
        String(r.otherFailures).padStart(14),
      ].join(" | "),
    );
  return lines.join("\n");
}
