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
import { getAddress } from "viem";
import { isRecord } from "../../exact/payload.js";
import { ExactEvmScheme } from "../../exact/server/exactEvmScheme.js";
import { permit2NonceKey } from "../../permit2/index.js";

/**
 * Resource-server side of scheme `upto` on EVM chains: prices as `exact` does (the price is
 * the **maximum** a request may cost), `extra.assetTransferMethod: "permit2"`, and the
 * facilitator's settling address from `/supported` as `extra.facilitatorAddress`. The handler
 * reports what it used with `setSettlementOverrides(res, { amount })`; zero settles nothing.
 *
 * @example
 * ```ts
 * const server = new x402ResourceServer(facilitator).register("eip155:*", new UptoEvmScheme());
 * app.get("/llm", (req, res) => { setSettlementOverrides(res, { amount: String(tokensUsed * 10) }); res.json(answer); });
 * ```
 */
export class UptoEvmScheme implements SchemeServer {
  readonly scheme = "upto";
  /** Official shape: upto moves money only through Permit2. */
  readonly defaultAssetTransferMethod = "permit2";
  /** Official shape: verify → handler → settle (the default flow). */
  readonly paymentFlows = {
    permit2: { supported: ["authorization"], default: "authorization" },
  } as const;
  private readonly exact = new ExactEvmScheme();

  /** Add a parser that runs before the default stablecoin table, in registration order. */
  registerMoneyParser(parser: MoneyParser): this {
    this.exact.registerMoneyParser(parser);
    return this;
  }

  /** `"$0.10"` → the maximum in the default stablecoin; an {@link AssetAmount} passes through. */
  async parsePrice(price: Price, network: Network): Promise<AssetAmount> {
    const parsed = await this.exact.parsePrice(price, network);
    return { ...parsed, extra: { ...parsed.extra, assetTransferMethod: "permit2" } };
  }

  /** Copies the facilitator's settling address (`/supported` kind `extra.facilitatorAddress`), checksummed. */
  enhancePaymentRequirements(
    requirements: PaymentRequirements,
    supportedKind: SupportedKind,
    _facilitatorExtensions: readonly string[],
  ): PaymentRequirements {
    const address = supportedKind.extra?.facilitatorAddress;
    if (typeof address !== "string") return requirements;
    return {
      ...requirements,
      extra: {
        ...requirements.extra,
        assetTransferMethod: "permit2",
        facilitatorAddress: getAddress(address),
      },
    };
  }

  /** A facilitator that names no settling address cannot take upto payments (the client must sign it). */
  validateFacilitatorSupport(_network: Network, supportedKind: SupportedKind): string | undefined {
    const address = supportedKind.extra?.facilitatorAddress;
    return typeof address === "string" && /^0x[0-9a-fA-F]{40}$/.test(address)
      ? undefined
      : "the facilitator's upto kind has no extra.facilitatorAddress";
  }

  sameAddress(a: string, b: string): boolean {
    return a.toLowerCase() === b.toLowerCase();
  }

  getAssetDecimals(asset: string, network: string): number | undefined {
    return this.exact.getAssetDecimals(asset, network);
  }

  /** The Permit2 nonce of the payer on the chain: two payloads with the same id spend the same permit. */
  paymentId(payload: PaymentPayload): string | undefined {
    const auth: unknown = (payload?.payload as { permit2Authorization?: unknown } | undefined)
      ?.permit2Authorization;
    if (!isRecord(auth) || typeof auth.from !== "string" || typeof auth.nonce !== "string") return undefined;
    try {
      return permit2NonceKey(payload.accepted.network, auth.from, auth.nonce);
    } catch {
      return undefined;
    }
  }
}
