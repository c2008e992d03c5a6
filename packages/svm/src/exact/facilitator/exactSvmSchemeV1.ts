import type {
  PaymentPayload,
  PaymentRequirements,
  SchemeFacilitator,
  SettleResponse,
  VerifyResponse,
} from "@x402kit/core";
import { ExactSvmScheme, type ExactSvmSchemeOptions } from "./exactSvmScheme.js";
import type { SettlementCache } from "./settlementCache.js";
import type { FacilitatorSvmSigner } from "./signer.js";
import type { SvmPayment } from "./svmExactEngine.js";

/**
 * Facilitator side of scheme `exact` on Solana for x402 v1 (`solana`, `solana-devnet`,
 * `solana-testnet`, amount in `maxAmountRequired`): the same rules and settlement as
 * {@link ExactSvmScheme}. Give both the same {@link SettlementCache} so a transaction settled
 * through one version is refused through the other. Register it with `registerV1`.
 *
 * @example
 * ```ts
 * const cache = new SettlementCache(store);
 * facilitator.register(SOLANA_DEVNET_CAIP2, new ExactSvmScheme(signer, cache)).registerV1("solana-devnet", new ExactSvmSchemeV1(signer, cache));
 * ```
 */
export class ExactSvmSchemeV1 implements SchemeFacilitator {
  readonly scheme = "exact";
  readonly caipFamily = "solana:*";
  private readonly inner: ExactSvmScheme;

  constructor(
    signer: FacilitatorSvmSigner,
    settlementCache?: SettlementCache | ExactSvmSchemeOptions,
    options?: ExactSvmSchemeOptions,
  ) {
    this.inner = new ExactSvmScheme(signer, settlementCache, options);
  }

  getExtra(network: string): Record<string, unknown> | undefined {
    return this.inner.getExtra(network);
  }

  getSigners(network: string): string[] {
    return this.inner.getSigners(network);
  }

  /** Verify a v1 payment. Never throws. */
  verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse> {
    return this.inner.engine.verify(v1Payment(payload, requirements));
  }

  /** Settle a v1 payment. Never throws. */
  settle(payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse> {
    return this.inner.engine.settle(v1Payment(payload, requirements));
  }
}

function v1Payment(payload: PaymentPayload, requirements: PaymentRequirements): SvmPayment {
  const p = (payload ?? {}) as unknown as Record<string, unknown>;
  const r = (requirements ?? {}) as unknown as Record<string, unknown>;
  const extra = r.extra;
  return {
    paidScheme: p.scheme,
    paidNetwork: p.network,
    scheme: r.scheme,
    network: String(r.network ?? ""),
    asset: r.asset,
    payTo: r.payTo,
    amount: r.maxAmountRequired,
    extra: typeof extra === "object" && extra !== null ? (extra as Record<string, unknown>) : undefined,
    transaction: (p.payload as { transaction?: unknown } | undefined)?.transaction,
  };
}
