import { ERC20_APPROVAL_GAS_SPONSORING_VERSION } from "../../gasSponsoring/erc20Approval.js";
import { MAX_UINT256, PERMIT2_ADDRESS } from "../../permit2/constants.js";
import type { ExactPermit2Payload } from "../../permit2/payload.js";
import { eip2612PermitTypes } from "../../permit2/typedData.js";
import { toChecksumAddress } from "./address.js";
import type { ClientEvmSigner } from "./signer.js";
import { encodeApproveCall } from "./tokenCalls.js";

type SignableTypedData = Parameters<ClientEvmSigner["signTypedData"]>[0];

/** Gas of the signed approval (an approve costs ~46 000; the official client uses 70 000). */
const APPROVAL_GAS = 70_000n;
const FALLBACK_FEES = { maxFeePerGas: 1_000_000_000n, maxPriorityFeePerGas: 100_000_000n };

/**
 * The two token reads, for a signer's viem-style `readContract` (the ERC-20/EIP-2612 ABI of
 * `permit2/abi.ts` holds them too, but importing it would pull every proxy ABI into bundles).
 */
const tokenReadsAbi = [
  {
    type: "function",
    name: "allowance",
    inputs: [
      { name: "owner", type: "address" },
      { name: "spender", type: "address" },
    ],
    outputs: [{ type: "uint256" }],
    stateMutability: "view",
  },
  {
    type: "function",
    name: "nonces",
    inputs: [{ name: "owner", type: "address" }],
    outputs: [{ type: "uint256" }],
    stateMutability: "view",
  },
] as const;

/** The payment a gas-sponsoring extension is added for. */
export interface SponsorshipRequest {
  chainId: number;
  asset: `0x${string}`;
  extra: Record<string, unknown>;
  /** The server's advertised extensions. */
  advertised: Record<string, unknown>;
  payment: ExactPermit2Payload;
}

/**
 * The gas-sponsoring extension data for a Permit2 payment whose payer has not (fully) approved
 * Permit2, as the official client decides it: an EIP-2612 permit for Permit2 (value = the
 * payment amount, deadline = the Permit2 deadline) when the server advertised
 * `eip2612GasSponsoring` and `extra` names the token's EIP-712 domain; else a signed, unsent
 * `approve(Permit2, max)` transaction when it advertised `erc20ApprovalGasSponsoring` and the
 * signer can sign transactions. `undefined` when nothing is needed or possible (the payment
 * then goes as is; the facilitator answers `permit2_allowance_required` if it must).
 *
 * @example
 * ```ts
 * const extensions = await gasSponsoringFor(signer, { chainId, asset, extra, advertised: context.extensions, payment });
 * ```
 */
export async function gasSponsoringFor(
  signer: ClientEvmSigner,
  request: SponsorshipRequest,
): Promise<Record<string, unknown> | undefined> {
  const { advertised, extra, payment } = request;
  const wants2612 = "eip2612GasSponsoring" in advertised;
  const wantsApproval = "erc20ApprovalGasSponsoring" in advertised;
  if ((!wants2612 && !wantsApproval) || !signer.readContract) return undefined;
  const owner = signer.address;
  const amount = BigInt(payment.permit2Authorization.permitted.amount);
  const allowance = await signer
    .readContract({
      address: request.asset,
      abi: tokenReadsAbi,
      functionName: "allowance",
      args: [owner, PERMIT2_ADDRESS],
    })
    .catch(() => undefined);
  if (typeof allowance !== "bigint" || allowance >= amount) return undefined;

  if (wants2612 && typeof extra.name === "string" && typeof extra.version === "string") {
    const nonce = await signer.readContract({
      address: request.asset,
      abi: tokenReadsAbi,
      functionName: "nonces",
      args: [owner],
    });
    if (typeof nonce !== "bigint") return undefined;
    const deadline = payment.permit2Authorization.deadline;
    const signature = await signer.signTypedData({
      domain: {
        name: extra.name,
        version: extra.version,
        chainId: request.chainId,
        verifyingContract: toChecksumAddress(request.asset),
      },
      types: eip2612PermitTypes,
      primaryType: "Permit",
      message: { owner, spender: PERMIT2_ADDRESS, value: amount, nonce, deadline: BigInt(deadline) },
    } as unknown as SignableTypedData);
    const info = {
      from: owner,
      asset: toChecksumAddress(request.asset),
      spender: PERMIT2_ADDRESS,
      amount: amount.toString(),
      nonce: nonce.toString(),
      deadline,
      signature,
      version: "1",
    };
    return { eip2612GasSponsoring: { info } };
  }

  if (wantsApproval && signer.signTransaction && signer.getTransactionCount) {
    const [nonce, fees] = await Promise.all([
      signer.getTransactionCount({ address: owner }),
      signer.estimateFeesPerGas ? signer.estimateFeesPerGas().catch(() => FALLBACK_FEES) : FALLBACK_FEES,
    ]);
    const signedTransaction = await signer.signTransaction({
      to: toChecksumAddress(request.asset),
      data: encodeApproveCall(PERMIT2_ADDRESS, MAX_UINT256),
      nonce,
      gas: APPROVAL_GAS,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      chainId: request.chainId,
    });
    const info = {
      from: owner,
      asset: toChecksumAddress(request.asset),
      spender: PERMIT2_ADDRESS,
      amount: MAX_UINT256.toString(),
      signedTransaction,
      version: ERC20_APPROVAL_GAS_SPONSORING_VERSION,
    };
    return { erc20ApprovalGasSponsoring: { info } };
  }
  return undefined;
}
