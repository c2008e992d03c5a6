import type {
  AssetAmount,
  PaymentPayload,
  PaymentRequirements,
  Price,
  SchemeClient,
  SchemeServer,
  SchemeVerifyResponse,
  SettleResponse,
} from "@x402kit/core";
import { isMoney, moneyToAtomic } from "@x402kit/core";
import { LEDGER_ASSET } from "./ledgerScheme.js";

/**
 * TEST DOUBLE of a `batch-settlement`-like scheme ("ledger-voucher"): the client signs a
 * cumulative voucher per request; the SERVER scheme checks it and charges it locally (no
 * facilitator call), keeps per-channel state, and answers a mismatching ceiling with a
 * corrective 402 carrying the channel state. Signatures are plain strings: this stands in for
 * the protocol seams only, never for a chain.
 */
export const VOUCHER_MISMATCH = "invalid_ledger_voucher_cumulative_mismatch";

interface Voucher {
  channel: string;
  from: string;
  cumulative: string;
  signature: string;
}

const sign = (channel: string, cumulative: bigint) => `signed:${channel}:${cumulative}`;

/** Client half: signs `charged + amount`, adopting the server's `channelState` from a corrective 402. */
export class LedgerVoucherClient implements SchemeClient {
  readonly scheme = "ledger-voucher";
  /** What this client believes it was charged so far, per channel. */
  readonly charged = new Map<string, bigint>();

  constructor(private readonly payer: string) {}

  async createPaymentPayload(x402Version: number, requirements: PaymentRequirements) {
    const channel = `${this.payer}>${requirements.payTo}`;
    // A corrective 402 carries the server's view; a real client checks its own signature on it first.
    const state = (requirements.extra as { channelState?: { charged?: string } } | undefined)?.channelState;
    if (state?.charged !== undefined) this.charged.set(channel, BigInt(state.charged));
    const cumulative = (this.charged.get(channel) ?? 0n) + BigInt(requirements.amount);
    const voucher: Voucher = {
      channel,
      from: this.payer,
      cumulative: String(cumulative),
      signature: sign(channel, cumulative),
    };
    return { x402Version, payload: { ...voucher } };
  }

  /** Take a success receipt's channel state as the new baseline (what a client scheme does with PAYMENT-RESPONSE). */
  acceptReceipt(receipt: SettleResponse): void {
    const state = receipt.extra?.channelState as { channel?: string; charged?: string } | undefined;
    if (state?.channel && state.charged !== undefined) this.charged.set(state.channel, BigInt(state.charged));
  }

  describeAsset(_network: string, asset: string) {
    return asset === LEDGER_ASSET ? { decimals: 6, symbol: "TUSD", usd: true } : undefined;
  }
}

interface Channel {
  charged: bigint;
  deposit: bigint;
  /** Ceiling of the voucher currently being served, if any. */
  pending?: bigint;
}

/** Server half: verifies and charges vouchers itself; the facilitator is never asked. */
export class LedgerVoucherServer implements SchemeServer {
  readonly scheme = "ledger-voucher";
  readonly channels = new Map<string, Channel>();
  readonly released: string[] = [];

  /** Open a channel with a deposit (in a real scheme: a deposit settled through the facilitator). */
  open(channel: string, deposit: bigint, charged = 0n): void {
    this.channels.set(channel, { charged, deposit });
  }

  parsePrice(price: Price): AssetAmount {
    return isMoney(price) ? { amount: moneyToAtomic(price, 6), asset: LEDGER_ASSET } : price;
  }

  paymentId(payload: PaymentPayload): string | undefined {
    const v = payload.payload as Partial<Voucher>;
    return v.channel && v.cumulative ? `${v.channel}@${v.cumulative}` : undefined;
  }

  getAssetDecimals(asset: string): number | undefined {
    return asset === LEDGER_ASSET ? 6 : undefined;
  }

  async verifyPayment(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
  ): Promise<SchemeVerifyResponse> {
    const v = payload.payload as Partial<Voucher>;
    const channel = v.channel ? this.channels.get(v.channel) : undefined;
    if (!v.channel || !v.cumulative || !/^\d+$/.test(v.cumulative) || !channel)
      return { isValid: false, invalidReason: "invalid_ledger_voucher_channel" };
    const cumulative = BigInt(v.cumulative);
    if (v.signature !== sign(v.channel, cumulative))
      return { isValid: false, invalidReason: "invalid_ledger_voucher_signature", payer: v.from };
    if (channel.pending !== undefined)
      return { isValid: false, invalidReason: "invalid_ledger_voucher_channel_busy", payer: v.from };
    if (cumulative !== channel.charged + BigInt(requirements.amount))
      return {
        isValid: false,
        invalidReason: VOUCHER_MISMATCH,
        invalidMessage: `expected a ceiling of ${channel.charged + BigInt(requirements.amount)}`,
        payer: v.from,
        correctiveExtra: { channelState: { channel: v.channel, charged: String(channel.charged) } },
      };
    if (cumulative > channel.deposit)
      return { isValid: false, invalidReason: "insufficient_funds", payer: v.from };
    channel.pending = cumulative;
    return { isValid: true, payer: v.from };
  }

  async settlePayment(payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse> {
    const v = payload.payload as unknown as Voucher;
    const channel = this.channels.get(v.channel) as Channel;
    const charged = channel.charged + BigInt(requirements.amount);
    const ceiling = channel.pending ?? 0n;
    channel.pending = undefined;
    if (charged > ceiling)
      return {
        success: false,
        errorReason: "invalid_ledger_voucher_charge_exceeds_ceiling",
        transaction: "",
        network: requirements.network,
      };
    channel.charged = charged;
    return {
      success: true,
      transaction: "",
      network: requirements.network,
      payer: v.from,
      amount: requirements.amount,
      extra: {
        chargedAmount: requirements.amount,
        channelState: { channel: v.channel, charged: String(charged) },
      },
    };
  }

  releasePayment(payload: PaymentPayload): void {
    const v = payload.payload as unknown as Voucher;
    const channel = this.channels.get(v.channel);
    if (channel) channel.pending = undefined;
    this.released.push(v.channel);
  }
}
