import type {
  PaymentPayload,
  PaymentRequirements,
  SettleResponse,
  SupportedResponse,
  VerifyResponse,
} from "../protocol/types.js";

/** Context given to facilitator schemes. */
export interface FacilitatorContext {
  /** Registered facilitator extensions by key. */
  getExtension(key: string): unknown;
}

/**
 * Facilitator side of one scheme: verifies and settles payloads on a chain.
 */
export interface SchemeFacilitator {
  readonly scheme: string;
  /** Pattern that groups this scheme's signers in `/supported`, e.g. `eip155:*`. */
  readonly caipFamily: string;
  /** `kinds[].extra` for a network (e.g. a fee payer). */
  getExtra(network: string): Record<string, unknown> | undefined;
  /** Addresses the facilitator pays or signs from on a network. */
  getSigners(network: string): string[];
  verify(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
    context?: FacilitatorContext,
  ): Promise<VerifyResponse>;
  settle(
    payload: PaymentPayload,
    requirements: PaymentRequirements,
    context?: FacilitatorContext,
  ): Promise<SettleResponse>;
}

/** The three-method facilitator interface a resource server talks to (HTTP or in-process). */
export interface FacilitatorClient {
  verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse>;
  settle(payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse>;
  getSupported(): SupportedResponse | Promise<SupportedResponse>;
}
