import type {
  PaymentPayload,
  PaymentRequirements,
  SchemeFacilitator,
  SettleResponse,
  VerifyResponse,
} from "@x402kit/core";
import type { KeyValueStore } from "@x402kit/core/storage";
import type { TransferLimits } from "./checkTransfer.js";
import { SettlementCache } from "./settlementCache.js";
import type { FacilitatorSvmSigner } from "./signer.js";
import { SvmExactEngine, type SvmPayment } from "./svmExactEngine.js";

/**
 * Options of the SVM facilitator schemes (the official names, plus `store`).
 *
 * @example
 * ```ts
 * const options: ExactSvmSchemeOptions = { maxPriorityFeeMicroLamports: 100_000, store: new SqliteStore("x402.db") };
 * ```
 */
export interface ExactSvmSchemeOptions extends Partial<TransferLimits> {
  /**
   * Where the duplicate-settlement guard lives when no {@link SettlementCache} is given.
   * Share a durable store to refuse copies across facilitator instances.
   */
  store?: KeyValueStore;
}

/**
 * Facilitator side of scheme `exact` on Solana (x402 v2): checks every rule of the spec (fee
 * payer isolation, compute price cap, exact amount, mint, `payTo`'s associated token account,
 * instruction layout, client signatures with native Ed25519), simulates, then co-signs as fee
 * payer, sends and confirms. A copy of a transaction being settled or settled (same message)
 * gets `duplicate_settlement`, across concurrent requests, v1 and v2 (one cache), and
 * instances sharing a store.
 *
 * @example
 * ```ts
 * const facilitator = new x402Facilitator().register(SOLANA_DEVNET_CAIP2, new ExactSvmScheme(toFacilitatorSvmSigner(keypair, { defaultRpcUrl })));
 * ```
 */
export class ExactSvmScheme implements SchemeFacilitator {
  readonly scheme = "exact";
  readonly caipFamily = "solana:*";
  /** @internal shared with the v1 scheme. */
  readonly engine: SvmExactEngine;

  /**
   * @param signer fee payer keys and RPC.
   * @param settlementCache the duplicate guard (share one between v1 and v2), or the options.
   * @param options limits, and `store` when no cache is given.
   */
  constructor(
    signer: FacilitatorSvmSigner,
    settlementCache?: SettlementCache | ExactSvmSchemeOptions,
    options?: ExactSvmSchemeOptions,
  ) {
    const opts =
      settlementCache instanceof SettlementCache ? (options ?? {}) : (settlementCache ?? options ?? {});
    const cache =
      settlementCache instanceof SettlementCache ? settlementCache : new SettlementCache(opts.store);
    const { store: _store, ...limits } = opts;
    this.engine = new SvmExactEngine(signer, cache, limits);
  }

  /** `{ feePayer }`: one of the fee payers, picked at random per call (spreads load). */
  getExtra(_network: string): Record<string, unknown> | undefined {
    const addresses = this.engine.signer.getAddresses();
    return { feePayer: addresses[Math.floor(Math.random() * addresses.length)] };
  }

  /** Every fee payer address. */
  getSigners(_network: string): string[] {
    return [...this.engine.signer.getAddresses()];
  }

  /** Verify a v2 payment. Never throws. */
  verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse> {
    return this.engine.verify(v2Payment(payload, requirements));
  }

  /** Settle a v2 payment. Never throws. */
  settle(payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse> {
    return this.engine.settle(v2Payment(payload, requirements));
  }
}

function v2Payment(payload: PaymentPayload, requirements: PaymentRequirements): SvmPayment {
  const accepted = (payload as { accepted?: { scheme?: unknown; network?: unknown } } | undefined)?.accepted;
  const r = (requirements ?? {}) as Partial<PaymentRequirements>;
  return {
    paidScheme: accepted?.scheme,
    paidNetwork: accepted?.network,
    scheme: r.scheme,
    network: String(r.network ?? ""),
    asset: r.asset,
    payTo: r.payTo,
    amount: r.amount,
    extra: isRecord(r.extra) ? r.extra : undefined,
    transaction: (payload?.payload as { transaction?: unknown } | undefined)?.transaction,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
