import type {
  AssetAmount,
  PaymentPayload,
  PaymentRequirements,
  Price,
  SchemeClient,
  SchemeFacilitator,
  SchemeServer,
  SettleResponse,
  VerifyResponse,
} from "@x402kit/core";
import { isMoney, moneyToAtomic } from "@x402kit/core";

/**
 * TEST DOUBLE: a scheme "ledger" on the made-up network `test:ledger`, settling against an
 * in-memory balance map. It exists so core's engines can be tested without a chain; every
 * chain scheme is tested against a real local chain in its own package.
 */
export const LEDGER_NETWORK = "test:ledger" as const;
export const LEDGER_ASSET = "TUSD";

export class LedgerClient implements SchemeClient {
  private counter = 0;
  constructor(
    private readonly payer: string,
    readonly scheme = "ledger",
  ) {}
  async createPaymentPayload(x402Version: number, requirements: PaymentRequirements) {
    this.counter += 1;
    return {
      x402Version,
      payload: {
        from: this.payer,
        to: requirements.payTo,
        amount: requirements.amount,
        nonce: `${this.payer}-${this.counter}-${Math.random()}`,
      },
    };
  }
  describeAsset(_network: string, asset: string) {
    return asset === LEDGER_ASSET ? { decimals: 6, symbol: "TUSD", usd: true } : undefined;
  }
}

export class LedgerServer implements SchemeServer {
  constructor(readonly scheme = "ledger") {}
  parsePrice(price: Price): AssetAmount {
    return isMoney(price)
      ? { amount: moneyToAtomic(price, 6), asset: LEDGER_ASSET, extra: { unit: "micro" } }
      : price;
  }
  paymentId(payload: PaymentPayload): string | undefined {
    return typeof payload.payload.nonce === "string" ? payload.payload.nonce : undefined;
  }
  getAssetDecimals(asset: string): number | undefined {
    return asset === LEDGER_ASSET ? 6 : undefined;
  }
}

export class LedgerFacilitator implements SchemeFacilitator {
  readonly caipFamily = "test:*";
  readonly balances = new Map<string, bigint>();
  readonly usedNonces = new Set<string>();
  settleDelayMs = 0;
  /** How often verify / settle were called from outside (proves a scheme settled without the facilitator). */
  readonly calls = { verify: 0, settle: 0 };

  constructor(readonly scheme = "ledger") {}

  getExtra() {
    return undefined;
  }
  getSigners() {
    return ["ledger-operator"];
  }
  verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse> {
    this.calls.verify += 1;
    return this.check(payload, requirements);
  }

  protected async check(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse> {
    const p = payload.payload as { from?: string; to?: string; amount?: string; nonce?: string };
    const payer = p.from;
    if (!p.from || !p.to || !p.amount || !p.nonce)
      return { isValid: false, invalidReason: "invalid_payload" };
    if (p.to !== requirements.payTo)
      return { isValid: false, invalidReason: "invalid_ledger_recipient", payer };
    if (p.amount !== requirements.amount)
      return { isValid: false, invalidReason: "invalid_ledger_amount", payer };
    if (this.usedNonces.has(p.nonce))
      return { isValid: false, invalidReason: "invalid_ledger_nonce_used", payer };
    if ((this.balances.get(p.from) ?? 0n) < BigInt(p.amount))
      return { isValid: false, invalidReason: "insufficient_funds", payer };
    return { isValid: true, payer };
  }
  async settle(payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse> {
    this.calls.settle += 1;
    return this.transfer(payload, requirements, requirements);
  }

  /** Check against `authorised`, then move `charged.amount`. */
  protected async transfer(
    payload: PaymentPayload,
    authorised: PaymentRequirements,
    charged: PaymentRequirements,
  ): Promise<SettleResponse> {
    const check = await this.check(payload, authorised);
    const p = payload.payload as { from: string; to: string; amount: string; nonce: string };
    if (!check.isValid)
      return {
        success: false,
        errorReason: check.invalidReason ?? "invalid_payload",
        transaction: "",
        network: charged.network,
      };
    this.usedNonces.add(p.nonce);
    if (this.settleDelayMs) await new Promise((r) => setTimeout(r, this.settleDelayMs));
    const amount = BigInt(charged.amount);
    this.balances.set(p.from, (this.balances.get(p.from) ?? 0n) - amount);
    this.balances.set(p.to, (this.balances.get(p.to) ?? 0n) + amount);
    return {
      success: true,
      transaction: `tx-${p.nonce}`,
      network: charged.network,
      payer: p.from,
      amount: charged.amount,
    };
  }
}

/**
 * TEST DOUBLE of an `upto`-like scheme ("ledger-upto"): the client signs a maximum, the
 * server settles what the handler reports (`requirements.amount` at settle time), and the
 * facilitator re-checks against the signed maximum, never charging more.
 */
export class LedgerUptoFacilitator extends LedgerFacilitator {
  constructor() {
    super("ledger-upto");
  }
  override async settle(payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse> {
    this.calls.settle += 1;
    const max = String((payload.payload as { amount?: unknown }).amount ?? "");
    if (!/^\d+$/.test(max) || BigInt(requirements.amount) > BigInt(max))
      return {
        success: false,
        errorReason: "invalid_ledger_upto_settlement_exceeds_amount",
        transaction: "",
        network: requirements.network,
      };
    return this.transfer(payload, { ...requirements, amount: max }, requirements);
  }
}
