import { x402Client } from "@x402kit/core/client";
import { ExactEvmScheme } from "@x402kit/evm/exact/client";
import { getPaymentReceipt, wrapFetchWithPayment } from "@x402kit/fetch";
import { privateKeyToAccount } from "viem/accounts";
import type { LocalStack } from "./localStack.js";
import type { PaidCall } from "./paidCall.js";
import { localSpendControls } from "./spendControls.js";

/**
 * Pay `GET <path>` once for each path with our fetch client, from anvil's payer; the bodies are
 * read as text (a stream's events included).
 *
 * @example
 * ```ts
 * const [weather] = await payOnce(stack, ["/weather"]);
 * console.log(weather?.status, weather?.receipt?.transaction);
 * ```
 */
export async function payOnce(stack: LocalStack, paths: readonly string[]): Promise<PaidCall<string>[]> {
  const { devnet } = stack;
  const client = new x402Client({ spendControls: localSpendControls(devnet.network, devnet.usdc.address) });
  client.register("eip155:*", new ExactEvmScheme(privateKeyToAccount(devnet.accounts.payer.privateKey)));
  const pay = wrapFetchWithPayment(fetch, client);
  const calls: PaidCall<string>[] = [];
  for (const path of paths) {
    const response = await pay(stack.apiUrl + path);
    calls.push({
      request: `GET ${path}`,
      status: response.status,
      body: await response.text(),
      receipt: getPaymentReceipt(response),
    });
  }
  return calls;
}
