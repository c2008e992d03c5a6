import { type Account, AccountAddress } from "@aptos-labs/ts-sdk";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import type { AptosDevnet } from "@x402kit/devnet/aptos";
import { ExactAptosScheme as ClientScheme } from "../src/exact/client/index.js";
import {
  ExactAptosScheme,
  type ExactAptosSchemeConfig,
  toFacilitatorAptosSigner,
} from "../src/exact/facilitator/index.js";
import { registerAptosNetwork } from "../src/index.js";

/** Register the stand-in's network (node URL, test USDC) in the network table. */
export function registerDevnet(devnet: AptosDevnet): void {
  registerAptosNetwork({
    network: devnet.network,
    chainId: devnet.chainId,
    nodeUrl: devnet.url,
    assets: [{ asset: devnet.usdc, decimals: 6, symbol: "USDC" }],
  });
}

/** Requirements paying `amount` of the stand-in's USDC to `payTo`, sponsored by its fee payer unless `sponsored` is false. */
export function requirementsFor(
  devnet: AptosDevnet,
  payTo: Account | string,
  amount = "10000",
  sponsored = true,
): PaymentRequirements {
  return {
    scheme: "exact",
    network: devnet.network,
    amount,
    asset: devnet.usdc,
    payTo: typeof payTo === "string" ? payTo : payTo.accountAddress.toStringLong(),
    maxTimeoutSeconds: 60,
    extra: sponsored ? { feePayer: devnet.feePayer.accountAddress.toStringLong() } : {},
  };
}

/** A payload signed by our client scheme for `requirements`. */
export async function payFor(
  payer: Account,
  requirements: PaymentRequirements,
  options: ConstructorParameters<typeof ClientScheme>[1] = {},
): Promise<PaymentPayload> {
  const result = await new ClientScheme(payer, options).createPaymentPayload(2, requirements);
  return { x402Version: 2, accepted: requirements, payload: result.payload };
}

/** Our facilitator scheme on the stand-in, sponsoring from its fee payer. */
export function facilitatorFor(devnet: AptosDevnet, config: ExactAptosSchemeConfig = {}): ExactAptosScheme {
  return new ExactAptosScheme(
    toFacilitatorAptosSigner(devnet.feePayer, { defaultRpcUrl: devnet.url }),
    config,
  );
}

/** Long-form address of an account. */
export function addressOf(account: Account): string {
  return AccountAddress.from(account.accountAddress).toStringLong();
}
