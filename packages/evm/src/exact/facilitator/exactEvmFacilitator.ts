import type {
  PaymentPayload,
  PaymentRequirements,
  SchemeFacilitator,
  SettleResponse,
  VerifyResponse,
} from "@x402kit/core";
import { describeError } from "@x402kit/core";
import { toEvmNetwork } from "../../network.js";
import { ExactEvmReason as R } from "../../reasons.js";
import { authorizationKey, isExactEvmPayload, isRecord } from "../payload.js";
import { DeployedAssetCache } from "./checkChainState.js";
import { type CheckedPayment, checkPaymentAgainstRequirements } from "./checkPayment.js";
import { awaitSettlement, broadcastTransfer, type SettleTransferOptions } from "./settleTransfer.js";
import type { FacilitatorEvmSigner } from "./signer.js";
import { payerOf, verifyTransferWithAuthorization } from "./verifyTransfer.js";
import { toFacilitatorEvmSigner, type ViemFacilitatorClients } from "./viemSigner.js";

/**
 * Options of {@link ExactEvmFacilitator}.
 *
 * @example
 * ```ts
 * new ExactEvmFacilitator({ walletClient }, { simulateInSettle: true, receiptTimeoutMs: 30_000 });
 * ```
 */
export interface ExactEvmFacilitatorOptions {
  /** Dry-run the transfer again right before broadcasting. Default `false` (verify already did). */
  simulateInSettle?: boolean;
  /**
   * How long settle waits for a receipt before answering `settlement_pending`. Default 20 s,
   * below the 30 s a resource server's facilitator client waits for the whole settle call.
   */
  receiptTimeoutMs?: number;
}

/** Receipts not yet seen are remembered for a retry; bounded so a flood cannot grow memory. */
const MAX_PENDING = 10_000;

/**
 * Facilitator side of scheme `exact` on one EVM chain: verifies EIP-3009 authorizations
 * and settles them with `transferWithAuthorization`, paying gas from the signer's account.
 * One instance serves exactly the chain of its signer (`eip155:<chainId>`); register one
 * per chain. Settlement of the same authorization is never broadcast twice concurrently
 * (in-memory guard: run one facilitator process per account, or put a shared lock in front).
 *
 * @example
 * ```ts
 * const walletClient = createWalletClient({ account: privateKeyToAccount(key), chain: base, transport: http() });
 * const facilitator = new x402Facilitator().register("eip155:8453", new ExactEvmFacilitator({ walletClient }));
 * ```
 */
export class ExactEvmFacilitator implements SchemeFacilitator {
  readonly scheme = "exact";
  readonly caipFamily = "eip155:*";
  /** The CAIP-2 network this instance serves. */
  readonly network: `eip155:${number}`;
  private readonly signer: FacilitatorEvmSigner;
  private readonly assets = new DeployedAssetCache();
  private readonly inFlight = new Set<string>();
  /** Broadcasts whose receipt timed out, by settlement key, for the retry. */
  private readonly pending = new Map<string, { payment: CheckedPayment; hash: `0x${string}` }>();
  private readonly simulateInSettle: boolean;
  private readonly receiptTimeoutMs: number;

  constructor(
    signer: FacilitatorEvmSigner | ViemFacilitatorClients,
    options: ExactEvmFacilitatorOptions = {},
  ) {
    this.signer = "walletClient" in signer ? toFacilitatorEvmSigner(signer) : signer;
    this.network = toEvmNetwork(this.signer.chainId);
    this.simulateInSettle = options.simulateInSettle ?? false;
    this.receiptTimeoutMs = options.receiptTimeoutMs ?? 20_000;
  }

  /** EVM exact advertises no `extra` in `/supported`. */
  getExtra(_network: string): Record<string, unknown> | undefined {
    return undefined;
  }

  /** The account that sends settlements. */
  getSigners(_network: string): string[] {
    return [this.signer.address];
  }

  /** Verify a payment (with simulation). Never throws. */
  async verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse> {
    const options = { signer: this.signer, assets: this.assets, simulate: true };
    return (await verifyTransferWithAuthorization(payload, requirements, options)).response;
  }

  /**
   * Re-verify and settle a payment on chain. A second settle of the same authorization
   * while the first is running answers `duplicate_settlement` without broadcasting.
   * Never throws.
   */
  async settle(payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse> {
    const network =
      isRecord(requirements) && typeof requirements.network === "string"
        ? requirements.network
        : this.network;
    const failure = (errorReason: string, errorMessage: string): SettleResponse => ({
      success: false,
      errorReason,
      errorMessage,
      transaction: "",
      network,
      payer: payerOf(payload),
    });
    const key = settlementKey(payload, requirements);
    if (key && this.inFlight.has(key))
      return failure(R.DuplicateSettlement, "this authorization is already being settled");
    // A broadcast whose receipt timed out may be past its validity window by now: no re-check.
    // Only the very same signed payment may take over a broadcast still awaiting its receipt.
    const stored = key ? this.pending.get(key) : undefined;
    const pending = stored && isSamePayment(stored.payment, payload, requirements) ? stored : undefined;
    if (!pending) {
      const checked = checkPaymentAgainstRequirements(
        payload,
        requirements,
        this.signer.chainId,
        Math.floor(Date.now() / 1000),
      );
      if (!checked.ok) return failure(checked.reason, checked.message);
    }
    if (!key) return failure(R.InvalidPayload, "malformed payload"); // unreachable: a checked payload has a key
    this.inFlight.add(key);
    try {
      const options: SettleTransferOptions = {
        signer: this.signer,
        network,
        receiptTimeoutMs: this.receiptTimeoutMs,
      };
      if (pending) {
        this.pending.delete(key);
        return this.rememberPending(
          key,
          pending.payment,
          await awaitSettlement(pending.payment, pending.hash, options),
        );
      }
      const verified = await verifyTransferWithAuthorization(payload, requirements, {
        signer: this.signer,
        assets: this.assets,
        simulate: this.simulateInSettle,
      });
      if (!verified.payment) {
        const { invalidReason, invalidMessage } = verified.response;
        const reason = invalidReason === R.UnexpectedVerifyError ? R.UnexpectedSettleError : invalidReason;
        return failure(reason ?? R.InvalidPayload, invalidMessage ?? "");
      }
      return this.rememberPending(key, verified.payment, await broadcastTransfer(verified.payment, options));
    } catch (error) {
      return failure(R.UnexpectedSettleError, describeError(error));
    } finally {
      this.inFlight.delete(key);
    }
  }

  private rememberPending(key: string, payment: CheckedPayment, response: SettleResponse): SettleResponse {
    if (response.errorReason === R.SettlementPending && response.transaction) {
      if (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
      this.pending.set(key, { payment, hash: response.transaction as `0x${string}` });
    }
    return response;
  }
}

/** Identifies one authorization (the token refuses a second use of from + nonce); needs only its shape. */
function settlementKey(payload: unknown, requirements: unknown): string | undefined {
  const inner = isRecord(payload) ? payload.payload : undefined;
  if (!isExactEvmPayload(inner) || !isRecord(requirements)) return undefined;
  const { network, asset } = requirements;
  if (typeof network !== "string" || typeof asset !== "string") return undefined;
  return authorizationKey(network, asset, inner.authorization.from, inner.authorization.nonce);
}

/** True when `payload` carries the signature of `payment` and `requirements` ask for what it pays. */
function isSamePayment(
  payment: CheckedPayment,
  payload: PaymentPayload,
  requirements: PaymentRequirements,
): boolean {
  const inner = payload.payload;
  return (
    isExactEvmPayload(inner) &&
    inner.signature.toLowerCase() === payment.signature.toLowerCase() &&
    requirements.payTo.toLowerCase() === payment.authorization.to.toLowerCase() &&
    requirements.amount === payment.value.toString()
  );
}
