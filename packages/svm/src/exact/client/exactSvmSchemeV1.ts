import type { DefaultAsset, PaymentPayloadResult, PaymentRequirements, SchemeClient } from "@x402kit/core";
import { X402Error } from "@x402kit/core";
import { findDefaultAsset } from "../../defaultAssets.js";
import { type ClientSvmConfig, type ClientSvmSigner, SvmTransferBuilder } from "./exactSvmScheme.js";

/**
 * Client side of scheme `exact` on Solana for x402 v1 (`solana`, `solana-devnet`,
 * `solana-testnet`): the same transaction as v2, paying `maxAmountRequired`, in a v1 payload
 * (`{ x402Version: 1, scheme, network, payload }`). Register it with `registerV1`.
 *
 * @example
 * ```ts
 * client.registerV1("solana-devnet", new ExactSvmSchemeV1(signer, { rpcUrl }));
 * ```
 */
export class ExactSvmSchemeV1 implements SchemeClient {
  readonly scheme = "exact";
  private readonly builder: SvmTransferBuilder;

  constructor(signer: ClientSvmSigner, config?: ClientSvmConfig) {
    this.builder = new SvmTransferBuilder(signer, config);
  }

  /**
   * Sign a v1 payment for one v1 `accepts[]` entry.
   *
   * @throws {X402Error} `invalid_payment_requirements` for requirements it cannot pay.
   */
  async createPaymentPayload(
    x402Version: number,
    requirements: PaymentRequirements,
  ): Promise<PaymentPayloadResult> {
    const v1 = requirements as unknown as Record<string, unknown>;
    const amount = v1.maxAmountRequired ?? v1.amount;
    if (
      typeof amount !== "string" ||
      typeof v1.network !== "string" ||
      typeof v1.asset !== "string" ||
      typeof v1.payTo !== "string"
    )
      throw new X402Error(
        "invalid_payment_requirements",
        "a v1 requirement needs network, asset, payTo and maxAmountRequired",
      );
    const transaction = await this.builder.build({
      network: v1.network,
      asset: v1.asset,
      payTo: v1.payTo,
      amount,
      extra: v1.extra as Record<string, unknown> | undefined,
    });
    return { x402Version, scheme: "exact", network: v1.network, payload: { transaction } };
  }

  /** The network's USDC (spend controls price it in dollars). */
  findDefaultAsset = (asset: string, network: string): DefaultAsset | undefined =>
    findDefaultAsset(asset, network);
}
