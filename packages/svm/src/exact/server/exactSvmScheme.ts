import type {
  AssetAmount,
  MoneyParser,
  Network,
  PaymentPayload,
  PaymentRequirements,
  Price,
  SchemeServer,
  SupportedKind,
} from "@x402kit/core";
import { X402Error } from "@x402kit/core";
import { MoneyPriceParser } from "@x402kit/core/server";
import { sha256 } from "../../crypto.js";
import { findDefaultAsset, getDefaultAsset } from "../../defaultAssets.js";
import { base64ToBytes, bytesToBase64 } from "../../encoding.js";
import { decodeWireTransaction } from "../../wireTransaction.js";
import { BlockhashHints } from "./blockhashHint.js";

/**
 * Options of the server scheme.
 *
 * @example
 * ```ts
 * new ExactSvmScheme({ rpcUrl: "http://127.0.0.1:8899" });
 * ```
 */
export interface ExactSvmServerOptions {
  /**
   * When set, each 402 carries `extra.recentBlockhash` / `lastValidBlockHeight` read from this
   * RPC (the client then skips one RPC call), read at most once a second; when the RPC fails
   * the hint is left out. Unset: no RPC call, the client fetches its own.
   */
  rpcUrl?: string;
}

/**
 * Resource-server side of scheme `exact` on Solana: prices `"$0.01"` in the network's USDC,
 * copies the facilitator's fee payer (`/supported` kind `extra.feePayer`) into the
 * requirements, and identifies a payload by its transaction message for the server's
 * duplicate guard.
 *
 * @example
 * ```ts
 * const server = new x402ResourceServer(facilitator).register("solana:*", new ExactSvmScheme());
 * ```
 */
export class ExactSvmScheme implements SchemeServer {
  readonly scheme = "exact";
  /** Re-generated per 402, so left out when a client's `accepted` is matched. */
  readonly dynamicExtraFields: readonly string[] = ["recentBlockhash", "lastValidBlockHeight"];
  private readonly prices = new MoneyPriceParser({
    checkAssetAmount,
    defaultAsset: (network) => {
      const usdc = getDefaultAsset(network);
      return usdc && { asset: usdc.asset, decimals: usdc.decimals };
    },
    noDefaultAsset: (network) =>
      `no default stablecoin is known for ${network}; price it as { amount, asset }`,
  });

  private readonly hints: BlockhashHints | undefined;

  constructor(options: ExactSvmServerOptions = {}) {
    this.hints = options.rpcUrl ? new BlockhashHints(options.rpcUrl) : undefined;
  }

  /**
   * Add a parser that runs before the default USDC conversion, in registration order.
   *
   * @example
   * ```ts
   * scheme.registerMoneyParser((amount) => ({ amount: moneyToAtomic(String(amount), 6), asset: localMint }));
   * ```
   */
  registerMoneyParser(parser: MoneyParser): this {
    this.prices.registerMoneyParser(parser);
    return this;
  }

  /** Decimals of the network's USDC, else `undefined`. */
  getAssetDecimals(asset: string, network: Network): number | undefined {
    return findDefaultAsset(asset, network)?.decimals;
  }

  /**
   * `"$0.01"` → atomic USDC of the network; an {@link AssetAmount} passes through.
   *
   * @throws {X402Error} `invalid_price` for malformed amounts or a network without USDC.
   */
  parsePrice(price: Price, network: Network): Promise<AssetAmount> {
    return this.prices.parsePrice(price, network);
  }

  /** Copy the facilitator's fee payer; add a recent blockhash when an RPC URL is configured and answers. */
  async enhancePaymentRequirements(
    requirements: PaymentRequirements,
    supportedKind: SupportedKind,
    _facilitatorExtensions: readonly string[],
  ): Promise<PaymentRequirements> {
    const feePayer = supportedKind.extra?.feePayer;
    const extra: Record<string, unknown> = {
      ...requirements.extra,
      ...(typeof feePayer === "string" ? { feePayer } : {}),
    };
    const hint = await this.hints?.get(requirements.network);
    if (hint) {
      extra.recentBlockhash = hint.blockhash;
      extra.lastValidBlockHeight = hint.lastValidBlockHeight;
    }
    return { ...requirements, extra };
  }

  /** A facilitator without a fee payer cannot serve SVM `exact`. */
  validateFacilitatorSupport(network: Network, supportedKind: SupportedKind): string | undefined {
    return typeof supportedKind.extra?.feePayer === "string"
      ? undefined
      : `the facilitator's exact kind on ${network} has no extra.feePayer`;
  }

  /** Base64 SHA-256 of the transaction message: two payloads with the same id are one payment. */
  paymentId(payload: PaymentPayload): string | undefined {
    const transaction = (payload?.payload as { transaction?: unknown } | undefined)?.transaction;
    if (typeof transaction !== "string") return undefined;
    try {
      return `${payload.accepted.network}:${bytesToBase64(sha256(decodeWireTransaction(base64ToBytes(transaction)).messageBytes))}`;
    } catch {
      return undefined;
    }
  }
}

function checkAssetAmount(amount: AssetAmount): AssetAmount {
  if (typeof amount?.asset !== "string" || !/^\d+$/.test(String(amount.amount)))
    throw new X402Error("invalid_price", "an asset amount needs { amount: atomic digits, asset: mint }");
  return {
    amount: String(amount.amount),
    asset: amount.asset,
    ...(amount.extra ? { extra: amount.extra } : {}),
  };
}
