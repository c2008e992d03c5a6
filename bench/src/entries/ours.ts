// Bundle entry: what a browser app needs to pay x402 with our packages. The account is
// passed in, so the wallet/key code is outside the measurement for both sides.
import { ExactEvmScheme } from "@x402kit/evm/exact/client";
import { wrapFetchWithPayment, x402Client } from "@x402kit/fetch";

export function createPayingFetch(account: ConstructorParameters<typeof ExactEvmScheme>[0]) {
  return wrapFetchWithPayment(fetch, new x402Client().register("eip155:*", new ExactEvmScheme(account)));
}
