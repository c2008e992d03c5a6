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
  readonly scheme = "ledger";
  private counter = 0;
  constructor(private readonly payer: string) {}
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
  readonly scheme = "ledger";
  parsePrice(price: Price): AssetAmount {
    return isMoney(price)
      ? { amount: moneyToAtomic(price, 6), asset: LEDGER_ASSET, extra: { unit: "micro" } }
      : price;
  }
  paymentId(payload: PaymentPayload): string | undefined {
    return typeof payload.payload.nonce === "string" ? payload.payload.nonce : undefined;
  }
}

export class LedgerFacilitator implements SchemeFacilitator {
  readonly scheme = "ledger";
  readonly caipFamily = "test:*";
  readonly balances = new Map<string, bigint>();
  readonly usedNonces = new Set<string>();
  settleDelayMs = 0;

  getExtra() {
    return undefined;
  }
  getSigners() {
    return ["ledger-operator"];
  }
  async verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse> {
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
    const check = await this.verify(payload, requirements);
    const p = payload.payload as { from: string; to: string; amount: string; nonce: string };
    if (!check.isValid)
      return {
        success: false,
        errorReason: check.invalidReason ?? "invalid_payload",
        transaction: "",
        network: requirements.network,
      };
    this.usedNonces.add(p.nonce);
    if (this.settleDelayMs) await new Promise((r) => setTimeout(r, this.settleDelayMs));
    this.balances.set(p.from, (this.balances.get(p.from) ?? 0n) - BigInt(p.amount));
    this.balances.set(p.to, (this.balances.get(p.to) ?? 0n) + BigInt(p.amount));
    return {
      success: true,
      transaction: `tx-${p.nonce}`,
      network: requirements.network,
      payer: p.from,
      amount: p.amount,
    };
  }
}
