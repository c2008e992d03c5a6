import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import type { LocalAccount } from "viem";
import {
  type Eip3009Authorization,
  parseEvmNetwork,
  transferWithAuthorizationTypedData,
} from "../src/index.js";

/** Knobs to build deliberately wrong payments. */
export interface SignPaymentOptions {
  /** Override fields of the signed authorization (before signing). */
  authorization?: Partial<Eip3009Authorization>;
  /** Override the signed EIP-712 domain. */
  domain?: Partial<{ name: string; version: string; chainId: number; verifyingContract: `0x${string}` }>;
  /** Override `accepted` fields (after signing). */
  accepted?: Partial<PaymentRequirements>;
}

const now = () => Math.floor(Date.now() / 1000);

/** A random 32-byte nonce. */
export function randomNonce(): `0x${string}` {
  return `0x${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("hex")}`;
}

/** Sign an EIP-3009 payment for `requirements`, like the client, but with every field overridable. */
export async function signPayment(
  account: LocalAccount,
  requirements: PaymentRequirements,
  options: SignPaymentOptions = {},
): Promise<PaymentPayload> {
  const authorization: Eip3009Authorization = {
    from: account.address,
    to: requirements.payTo as `0x${string}`,
    value: requirements.amount,
    validAfter: String(now() - 600),
    validBefore: String(now() + requirements.maxTimeoutSeconds),
    nonce: randomNonce(),
    ...options.authorization,
  };
  const extra = requirements.extra as { name: string; version: string };
  const signature = await account.signTypedData(
    transferWithAuthorizationTypedData(
      {
        name: extra.name,
        version: extra.version,
        chainId: parseEvmNetwork(requirements.network),
        verifyingContract: requirements.asset as `0x${string}`,
        ...options.domain,
      },
      {
        ...authorization,
        value: BigInt(authorization.value),
        validAfter: BigInt(authorization.validAfter),
        validBefore: BigInt(authorization.validBefore),
      },
    ),
  );
  return {
    x402Version: 2,
    resource: { url: "https://example.test/paid" },
    accepted: { ...requirements, ...options.accepted },
    payload: { signature, authorization },
  };
}

/** A deep copy of a payload with `payload.payload` replaced by `edit(copy)`. */
export function withInner(
  payment: PaymentPayload,
  edit: (inner: Record<string, unknown>) => unknown,
): PaymentPayload {
  const copy = structuredClone(payment);
  return { ...copy, payload: edit(copy.payload as Record<string, unknown>) as Record<string, unknown> };
}
