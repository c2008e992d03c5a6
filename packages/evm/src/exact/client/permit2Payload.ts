import { x402ExactPermit2ProxyAddress } from "../../permit2/constants.js";
import { createPermit2Nonce } from "../../permit2/nonce.js";
import type { ExactPermit2Payload, Permit2Authorization } from "../../permit2/payload.js";
import { permit2WitnessTypedData, permit2WitnessTypes } from "../../permit2/typedData.js";
import { toChecksumAddress } from "./address.js";
import type { ClientEvmSigner } from "./signer.js";

type SignableTypedData = Parameters<ClientEvmSigner["signTypedData"]>[0];

/** What a Permit2 payment signs for: one `accepts[]` entry, already checked. */
export interface Permit2PaymentTerms {
  chainId: number;
  asset: `0x${string}`;
  payTo: `0x${string}`;
  amount: string;
  maxTimeoutSeconds: number;
}

/**
 * Sign an `exact` Permit2 payment as the official client does: spender = the exact proxy,
 * exactly `amount` of `asset`, witness `{ to: payTo, validAfter: "0" }`, deadline
 * `now + maxTimeoutSeconds`, a random 256-bit nonce.
 *
 * @example
 * ```ts
 * const payload = await signExactPermit2Payment(account, { chainId: 8453, asset, payTo, amount: "10000", maxTimeoutSeconds: 60 });
 * ```
 */
export async function signExactPermit2Payment(
  signer: ClientEvmSigner,
  terms: Permit2PaymentTerms,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<ExactPermit2Payload> {
  const permit2Authorization: Permit2Authorization = {
    from: signer.address,
    permitted: { token: toChecksumAddress(terms.asset), amount: terms.amount },
    spender: x402ExactPermit2ProxyAddress,
    nonce: createPermit2Nonce(),
    deadline: String(nowSeconds + terms.maxTimeoutSeconds),
    witness: { to: toChecksumAddress(terms.payTo), validAfter: "0" },
  };
  const typedData = permit2WitnessTypedData(terms.chainId, permit2WitnessTypes, {
    permitted: { token: permit2Authorization.permitted.token, amount: BigInt(terms.amount) },
    spender: x402ExactPermit2ProxyAddress,
    nonce: BigInt(permit2Authorization.nonce),
    deadline: BigInt(permit2Authorization.deadline),
    witness: { to: permit2Authorization.witness.to, validAfter: 0n },
  });
  // The signer takes any EIP-712 document (the official shape); ours is one of them.
  const signature = await signer.signTypedData(typedData as unknown as SignableTypedData);
  return { signature, permit2Authorization };
}
