// Bundle entry: the same browser paying client with the official packages.
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { wrapFetchWithPayment, x402Client } from "@x402/fetch";

export function createPayingFetch(account: ConstructorParameters<typeof ExactEvmScheme>[0]) {
  return wrapFetchWithPayment(fetch, new x402Client().register("eip155:*", new ExactEvmScheme(account)));
}
