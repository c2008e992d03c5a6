import type { CheckResult, FacilitatorExtension } from "@x402kit/core";
import { isRecord } from "../exact/payload.js";
import { erc20ApprovalGasSponsoringSchema, matchesSchema } from "./schemas.js";

const KEY = "erc20ApprovalGasSponsoring";

/**
 * The extension key object of ERC-20 approval gas sponsoring (official constant).
 *
 * @example
 * ```ts
 * context?.getExtension(ERC20_APPROVAL_GAS_SPONSORING.key);
 * ```
 */
export const ERC20_APPROVAL_GAS_SPONSORING = { key: KEY } as const;

/**
 * Current version of the extension's info.
 *
 * @example
 * ```ts
 * const info = { ...fields, version: ERC20_APPROVAL_GAS_SPONSORING_VERSION };
 * ```
 */
export const ERC20_APPROVAL_GAS_SPONSORING_VERSION = "1";

/**
 * One transaction for {@link Erc20ApprovalGasSponsoringSigner.sendTransactions}: a signed raw
 * transaction (broadcast as is) or a call the signer signs and sends.
 *
 * @example
 * ```ts
 * const batch: TransactionRequest[] = [info.signedTransaction, { to: proxy, data, gas: 300_000n }];
 * ```
 */
export type TransactionRequest = `0x${string}` | { to: `0x${string}`; data: `0x${string}`; gas?: bigint };

/**
 * What the facilitator needs to sponsor an ERC-20 approval (official shape): chain access plus
 * `sendTransactions`, which runs the approval and the settlement in order (it may fund the
 * payer's gas, bundle or batch) and returns one hash (atomic bundle) or one per transaction;
 * the last is the settlement. {@link createErc20ApprovalSponsorSigner} builds one from viem clients.
 *
 * @example
 * ```ts
 * const signer: Erc20ApprovalGasSponsoringSigner = createErc20ApprovalSponsorSigner({ walletClient, publicClient });
 * ```
 */
export interface Erc20ApprovalGasSponsoringSigner {
  getAddresses(): readonly `0x${string}`[];
  readContract(args: {
    address: `0x${string}`;
    abi: readonly unknown[];
    functionName: string;
    args?: readonly unknown[];
  }): Promise<unknown>;
  verifyTypedData(args: {
    address: `0x${string}`;
    domain: Record<string, unknown>;
    types: Record<string, unknown>;
    primaryType: string;
    message: Record<string, unknown>;
    signature: `0x${string}`;
  }): Promise<boolean>;
  writeContract(args: {
    address: `0x${string}`;
    abi: readonly unknown[];
    functionName: string;
    args: readonly unknown[];
    gas?: bigint;
  }): Promise<`0x${string}`>;
  sendTransaction(args: { to: `0x${string}`; data: `0x${string}` }): Promise<`0x${string}`>;
  waitForTransactionReceipt(args: { hash: `0x${string}` }): Promise<{ status: string }>;
  getCode(args: { address: `0x${string}` }): Promise<`0x${string}` | undefined>;
  sendTransactions(transactions: TransactionRequest[]): Promise<`0x${string}`[]>;
  /**
   * Optional: would this signer sponsor the signed approval now (its fee, gas, funding bound,
   * the payer's cooldown, the budget)? Verify asks, so a payment the sponsor would refuse is
   * invalid before any resource is served. Nothing is sent or reserved.
   */
  checkApproval?(serializedTransaction: `0x${string}`): Promise<CheckResult>;
  /** Optional dry run of the whole batch (e.g. on a fork); true when it would succeed. */
  simulateTransactions?(transactions: TransactionRequest[]): Promise<boolean>;
}

/** The signer without `sendTransactions` (the official base shape). */
export type Erc20ApprovalGasSponsoringBaseSigner = Omit<Erc20ApprovalGasSponsoringSigner, "sendTransactions">;

/**
 * The facilitator extension of ERC-20 approval gas sponsoring: its key in `/supported`, and the
 * signer (per network) the EVM schemes use to broadcast the approval before settling.
 *
 * @example
 * ```ts
 * facilitator.registerExtension(createErc20ApprovalGasSponsoringExtension(signer));
 * ```
 */
export interface Erc20ApprovalGasSponsoringFacilitatorExtension extends FacilitatorExtension {
  readonly key: typeof KEY;
  readonly signer?: Erc20ApprovalGasSponsoringSigner;
  readonly signerForNetwork?: (network: string) => Erc20ApprovalGasSponsoringSigner | undefined;
}

/**
 * Build the facilitator extension from a sponsoring signer (`signerForNetwork` wins when it
 * answers for the payment's network).
 *
 * @example
 * ```ts
 * facilitator.registerExtension(createErc20ApprovalGasSponsoringExtension(createErc20ApprovalSponsorSigner({ walletClient, publicClient })));
 * ```
 */
export function createErc20ApprovalGasSponsoringExtension(
  signer: Erc20ApprovalGasSponsoringSigner,
  signerForNetwork?: (network: string) => Erc20ApprovalGasSponsoringSigner | undefined,
): Erc20ApprovalGasSponsoringFacilitatorExtension {
  return { key: KEY, signer, ...(signerForNetwork ? { signerForNetwork } : {}) };
}

/**
 * The sponsoring signer of an extension for a network, if any.
 *
 * @example
 * ```ts
 * const sponsor = erc20ApprovalSignerFor(context?.getExtension("erc20ApprovalGasSponsoring"), "eip155:8453");
 * ```
 */
export function erc20ApprovalSignerFor(
  extension: unknown,
  network: string,
): Erc20ApprovalGasSponsoringSigner | undefined {
  if (!isRecord(extension) || extension.key !== KEY) return undefined;
  const ext = extension as Erc20ApprovalGasSponsoringFacilitatorExtension;
  const signer = ext.signerForNetwork?.(network) ?? ext.signer;
  return signer && typeof signer.sendTransactions === "function" ? signer : undefined;
}

/**
 * The client-filled info of `erc20ApprovalGasSponsoring`: a signed, unbroadcast
 * `approve(Permit2, max)` transaction of the payer.
 *
 * @example
 * ```ts
 * const info = extractErc20ApprovalGasSponsoringInfo(paymentPayload);
 * ```
 */
export interface Erc20ApprovalGasSponsoringInfo {
  [key: string]: unknown;
  from: `0x${string}`;
  asset: `0x${string}`;
  spender: `0x${string}`;
  amount: string;
  signedTransaction: `0x${string}`;
  version: string;
}

/** The server's declaration info: what is offered, not yet filled in. */
export interface Erc20ApprovalGasSponsoringServerInfo {
  [key: string]: unknown;
  description: string;
  version: string;
}

/**
 * `PaymentRequired.extensions.erc20ApprovalGasSponsoring` / `PaymentPayload.extensions.erc20ApprovalGasSponsoring`.
 *
 * @example
 * ```ts
 * const extension: Erc20ApprovalGasSponsoringExtension = declareErc20ApprovalGasSponsoringExtension().erc20ApprovalGasSponsoring;
 * ```
 */
export interface Erc20ApprovalGasSponsoringExtension {
  info: Erc20ApprovalGasSponsoringServerInfo | Erc20ApprovalGasSponsoringInfo;
  schema: Record<string, unknown>;
}

/**
 * The route declaration of ERC-20 approval gas sponsoring: put it in a route's `extensions`
 * when the facilitator lists `erc20ApprovalGasSponsoring` in `/supported` and the price is a
 * Permit2 token (`extra.assetTransferMethod: "permit2"`).
 *
 * @example
 * ```ts
 * const route = { accepts: { scheme: "exact", price, network, payTo }, extensions: { ...declareErc20ApprovalGasSponsoringExtension() } };
 * ```
 */
export function declareErc20ApprovalGasSponsoringExtension(): Record<
  string,
  Erc20ApprovalGasSponsoringExtension
> {
  return {
    [KEY]: {
      info: {
        description:
          "The facilitator broadcasts the payer's signed approve(Permit2) transaction (funding its gas if needed) before settling.",
        version: ERC20_APPROVAL_GAS_SPONSORING_VERSION,
      },
      schema: erc20ApprovalGasSponsoringSchema,
    },
  };
}

/**
 * The client-filled info of a payment's `erc20ApprovalGasSponsoring`, or `null` when absent
 * or incomplete (formats are checked by {@link validateErc20ApprovalGasSponsoringInfo}).
 *
 * @example
 * ```ts
 * const info = extractErc20ApprovalGasSponsoringInfo(paymentPayload);
 * ```
 */
export function extractErc20ApprovalGasSponsoringInfo(
  paymentPayload: unknown,
): Erc20ApprovalGasSponsoringInfo | null {
  const extensions = isRecord(paymentPayload) ? paymentPayload.extensions : undefined;
  const extension = isRecord(extensions) ? extensions[KEY] : undefined;
  const info = isRecord(extension) ? extension.info : undefined;
  if (!isRecord(info)) return null;
  const required = erc20ApprovalGasSponsoringSchema.required as string[];
  return required.every((key) => key in info) ? (info as Erc20ApprovalGasSponsoringInfo) : null;
}

/**
 * True when every field of the info has its format.
 *
 * @example
 * ```ts
 * if (!validateErc20ApprovalGasSponsoringInfo(info)) return { isValid: false, invalidReason: "invalid_erc20_approval_extension_format" };
 * ```
 */
export function validateErc20ApprovalGasSponsoringInfo(info: Erc20ApprovalGasSponsoringInfo): boolean {
  return matchesSchema(info, erc20ApprovalGasSponsoringSchema);
}
