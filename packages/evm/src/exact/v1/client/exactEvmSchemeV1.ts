import type {
  DefaultAsset,
  PaymentPayloadContext,
  PaymentPayloadResult,
  PaymentRequirements,
  SchemeClient,
} from "@x402kit/core";
import { evmNetworkFromV1 } from "../../../v1/networks.js";
import { type EvmSchemeOptions, ExactEvmScheme } from "../../client/exactEvmScheme.js";
import type { ClientEvmSigner } from "../../client/signer.js";
import { toV2Requirements } from "../toV2Requirements.js";

/**
 * Client side of EVM `exact` for x402 v1 servers (network names such as `base-sepolia`,
 * `maxAmountRequired`, the `X-PAYMENT` header): the same EIP-3009 signature as the v2
 * {@link ExactEvmScheme}, returned in the v1 envelope `{ x402Version: 1, scheme, network, payload }`.
 * Register it with `client.registerV1(name, scheme)` for each v1 name (`evmNetworksV1()`).
 *
 * @example
 * ```ts
 * const v1 = new ExactEvmSchemeV1(privateKeyToAccount(key));
 * for (const name of evmNetworksV1()) client.registerV1(name, v1);
 * ```
 */
export class ExactEvmSchemeV1 implements SchemeClient {
  readonly scheme = "exact";
  private readonly v2: ExactEvmScheme;

  constructor(signer: ClientEvmSigner, options?: EvmSchemeOptions) {
    this.v2 = new ExactEvmScheme(signer, options);
  }

  /**
   * Sign a payment for one v1 `accepts[]` entry.
   *
   * @throws {X402Error} `invalid_network` for an unknown v1 name (see `registerEvmNetworkV1`);
   * `invalid_payment_requirements` as the v2 scheme.
   */
  async createPaymentPayload(
    _x402Version: number,
    requirements: PaymentRequirements,
    context?: PaymentPayloadContext,
  ): Promise<PaymentPayloadResult> {
    const signed = await this.v2.createPaymentPayload(2, toV2Requirements(requirements), context);
    return { x402Version: 1, scheme: this.scheme, network: requirements.network, payload: signed.payload };
  }

  /** The default stablecoin of a v1 network when `asset` is it (spend controls price it in USD). */
  findDefaultAsset = (asset: string, network: string): DefaultAsset | undefined => {
    const caip2 = evmNetworkFromV1(network);
    return caip2 ? this.v2.findDefaultAsset(asset, caip2) : undefined;
  };
}
