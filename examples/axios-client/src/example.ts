import { atomicToDecimal } from "@x402kit/core";
import { startLocalStack } from "./localStack.js";
import { type PaidCall, payWithAxios } from "./payWithAxios.js";

/** What one run proved, for the test. */
export interface ExampleResult {
  calls: PaidCall[];
  payerDelta: bigint;
  payToDelta: bigint;
}

/**
 * Start the local stack, pay it with `@x402kit/axios`, print what happened, stop everything.
 * `print` receives one line at a time (the test passes a no-op).
 */
export async function runExample(print: (line: string) => void = console.log): Promise<ExampleResult> {
  print("Starting anvil, the facilitator service and a paid Express API…");
  const stack = await startLocalStack();
  try {
    print(`API: ${stack.apiUrl} (network ${stack.network}, USDC ${stack.usdc})`);
    const before = await stack.balances();
    const calls = await payWithAxios({
      apiUrl: stack.apiUrl,
      privateKey: stack.payerKey,
      network: stack.network,
      asset: stack.usdc,
    });
    for (const call of calls) {
      print(`\n${call.request} → ${call.status}`);
      print(`  body:    ${JSON.stringify(call.body)}`);
      print(`  receipt: ${call.receipt?.success ? `settled in ${call.receipt.transaction}` : "none"}`);
    }
    const after = await stack.balances();
    const result = { calls, payerDelta: before.payer - after.payer, payToDelta: after.payTo - before.payTo };
    print(
      `\nPayer paid ${atomicToDecimal(result.payerDelta, 6)} USDC; the API received ${atomicToDecimal(result.payToDelta, 6)}.`,
    );
    return result;
  } finally {
    await stack.stop();
  }
}
