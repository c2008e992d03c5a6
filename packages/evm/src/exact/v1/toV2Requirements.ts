import type { PaymentRequirements } from "@x402kit/core";
import { X402Error } from "@x402kit/core";
import { evmNetworkFromV1 } from "../../v1/networks.js";

/**
 * A v1 EVM `exact` requirement in the v2 shape (CAIP-2 network, `amount`), so v1 signing and
 * verification run the v2 code. The EIP-3009 payload is the same in both versions; only the
 * envelope differs.
 *
 * @throws {X402Error} `invalid_network` for a v1 name no table knows; `invalid_payment_requirements`
 * when neither `maxAmountRequired` nor `amount` is present.
 */
export function toV2Requirements(requirements: PaymentRequirements): PaymentRequirements {
  const v1 = requirements as PaymentRequirements & { maxAmountRequired?: unknown };
  const network = evmNetworkFromV1(v1.network);
  if (!network) throw new X402Error("invalid_network", `Unsupported v1 network: ${String(v1.network)}`);
  const amount = v1.maxAmountRequired ?? v1.amount;
  if (typeof amount !== "string")
    throw new X402Error("invalid_payment_requirements", "maxAmountRequired must be a string");
  return {
    scheme: v1.scheme,
    network,
    amount,
    asset: v1.asset,
    payTo: v1.payTo,
    maxTimeoutSeconds: v1.maxTimeoutSeconds,
    extra: v1.extra ?? {},
  };
}
