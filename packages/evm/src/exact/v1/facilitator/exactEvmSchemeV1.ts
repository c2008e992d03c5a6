import type {
  PaymentPayload,
  PaymentRequirements,
  SchemeFacilitator,
  SettleResponse,
  VerifyResponse,
} from "@x402kit/core";
import { describeError, failedSettlement, invalidVerification } from "@x402kit/core";
import { ExactEvmReason as R } from "../../../reasons.js";
import { evmNetworkFromV1 } from "../../../v1/networks.js";
import type { ExactEvmScheme, ExactEvmSchemeConfig } from "../../facilitator/exactEvmScheme.js";
import type { FacilitatorEvmSigner } from "../../facilitator/signer.js";
import type { FacilitatorEvmSignerSource } from "../../facilitator/viemSigner.js";
import { isRecord } from "../../payload.js";
import { toV2Requirements } from "../toV2Requirements.js";
import { exactEvmSchemeFor } from "./sharedScheme.js";

/**
 * Facilitator side of EVM `exact` for x402 v1 (`registerV1("base-sepolia", …)`): a v1 payload
 * `{ x402Version: 1, scheme, network, payload }` and v1 requirements (`maxAmountRequired`, a
 * network name) are put in the v2 shape and handed to the v2 {@link ExactEvmScheme} — the same
 * checks, simulation, settlement and settlement ledger, so a payment settles once whichever
 * version carries it when both share that instance. Answers name the v1 network.
 *
 * @example
 * ```ts
 * const v2 = new ExactEvmScheme({ walletClient });
 * facilitator.register("eip155:84532", v2).registerV1("base-sepolia", new ExactEvmSchemeV1(v2));
 * ```
 */
export class ExactEvmSchemeV1 implements SchemeFacilitator {
  readonly scheme = "exact";
  readonly caipFamily = "eip155:*";
  /** The v2 scheme doing the work (shared when one was passed in). */
  readonly v2: ExactEvmScheme;

  /**
   * @param signer a v2 {@link ExactEvmScheme} to share (its ledger included), or the settling
   * signer: the v2 scheme already built for that signer object is shared (`exactEvmSchemeFor`).
   */
  constructor(
    signer: ExactEvmScheme | FacilitatorEvmSigner | FacilitatorEvmSignerSource,
    config?: ExactEvmSchemeConfig,
  ) {
    this.v2 = exactEvmSchemeFor(signer, config);
  }

  /** EVM exact advertises no `extra`. */
  getExtra(_network: string): Record<string, unknown> | undefined {
    return undefined;
  }

  getSigners(network: string): string[] {
    return this.v2.getSigners(network);
  }

  /** Verify a v1 payment (with simulation). Never throws. */
  async verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse> {
    const converted = toV2(payload, requirements);
    if ("reason" in converted) return invalidVerification(converted.reason, converted.message);
    return this.v2.verify(converted.payload, converted.requirements);
  }

  /** Settle a v1 payment; the answer's `network` is the v1 name. Never throws. */
  async settle(payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse> {
    const network = isRecord(requirements) ? String(requirements.network) : "";
    const converted = toV2(payload, requirements);
    if ("reason" in converted) return failedSettlement(network, converted.reason, converted.message);
    const response = await this.v2.settle(converted.payload, converted.requirements);
    return { ...response, network };
  }
}

type Converted =
  | { payload: PaymentPayload; requirements: PaymentRequirements }
  | { reason: string; message: string };

/** The v2 view of a v1 request; the v1 envelope's own scheme and network are checked here. */
function toV2(payload: unknown, requirements: unknown): Converted {
  if (!isRecord(payload) || !isRecord(requirements))
    return { reason: R.InvalidPayload, message: "payload and requirements must be objects" };
  let v2: PaymentRequirements;
  try {
    v2 = toV2Requirements(requirements as PaymentRequirements);
  } catch (error) {
    return { reason: R.InvalidPaymentRequirements, message: describeError(error) };
  }
  if (payload.scheme !== "exact" || v2.scheme !== "exact")
    return {
      reason: R.Scheme,
      message: `scheme must be "exact" (payload: ${String(payload.scheme)}, required: ${String(v2.scheme)})`,
    };
  if (payload.network !== requirements.network)
    return {
      reason: R.NetworkMismatch,
      message: `payload is for ${String(payload.network)}, required ${String(requirements.network)}`,
    };
  const accepted = { ...v2, network: evmNetworkFromV1(String(payload.network)) ?? v2.network };
  return {
    payload: { x402Version: 2, accepted, payload: payload.payload as Record<string, unknown> },
    requirements: v2,
  };
}
