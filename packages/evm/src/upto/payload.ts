import {
  describePermit2PayloadProblem,
  type ExactPermit2Payload,
  type Permit2ProxyConfig,
  type Permit2WitnessShape,
  uptoPermit2WitnessTypes,
  x402UptoPermit2ProxyABI,
  x402UptoPermit2ProxyAddress,
} from "../permit2/index.js";

/**
 * The upto proxy's witness: who receives the money, which facilitator may settle, from when.
 *
 * @example
 * ```ts
 * const witness: UptoPermit2Witness = { to: payTo, facilitator, validAfter: "0" };
 * ```
 */
export interface UptoPermit2Witness {
  to: `0x${string}`;
  facilitator: `0x${string}`;
  validAfter: string;
}

/**
 * `PaymentPayload.payload` of scheme `upto` on EVM: a Permit2 witness transfer of the maximum.
 *
 * @example
 * ```ts
 * const max = (paymentPayload.payload as UptoPermit2Payload).permit2Authorization.permitted.amount;
 * ```
 */
export type UptoPermit2Payload = ExactPermit2Payload<UptoPermit2Witness>;

/** The witness fields of an upto payload. */
export const UPTO_PERMIT2_WITNESS: Permit2WitnessShape = {
  addresses: ["to", "facilitator"],
  uints: ["validAfter"],
};

/**
 * The upto proxy for the shared Permit2 checks.
 *
 * @example
 * ```ts
 * await checkPermit2Signature(signer, auth, signature, uptoPermit2ProxyConfig);
 * ```
 */
export const uptoPermit2ProxyConfig: Permit2ProxyConfig = {
  proxy: x402UptoPermit2ProxyAddress,
  proxyAbi: x402UptoPermit2ProxyABI,
  witnessTypes: uptoPermit2WitnessTypes,
  witnessShape: UPTO_PERMIT2_WITNESS,
};

/**
 * True when `payload` is a well-formed {@link UptoPermit2Payload} (official name).
 *
 * @example
 * ```ts
 * if (!isUptoPermit2Payload(paymentPayload.payload)) return invalid("unsupported_payload_type");
 * ```
 */
export function isUptoPermit2Payload(payload: unknown): payload is UptoPermit2Payload {
  return describePermit2PayloadProblem(payload, UPTO_PERMIT2_WITNESS) === undefined;
}

/**
 * Reason strings specific to EVM `upto`, as the official `@x402/evm` 2.27 emits them; the
 * Permit2 ones are in `Permit2Reason`.
 *
 * @example
 * ```ts
 * if (response.errorReason === UptoEvmReason.SettlementExceedsAmount) console.log("charged too much");
 * ```
 */
export const UptoEvmReason = {
  Scheme: "invalid_upto_evm_scheme",
  NetworkMismatch: "invalid_upto_evm_network_mismatch",
  SettlementExceedsAmount: "invalid_upto_evm_payload_settlement_exceeds_amount",
  TransactionFailed: "invalid_upto_evm_transaction_failed",
  AmountExceedsPermitted: "upto_amount_exceeds_permitted",
  UnauthorizedFacilitator: "upto_unauthorized_facilitator",
  FacilitatorMismatch: "upto_facilitator_mismatch",
  /** x402kit: the token is not on the facilitator's allow-list (`allowedAssets`). */
  AssetNotAllowed: "invalid_upto_evm_asset_not_allowed",
} as const;
