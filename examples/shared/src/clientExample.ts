import { atomicToDecimal } from "@x402kit/core";
import { startLocalStack } from "./localStack.js";
import { startOrdersApi } from "./ordersApi.js";
import type { PaidCall } from "./paidCall.js";

/** Where a client example pays, and with what. */
export interface PayOptions {
  apiUrl: string;
  privateKey: `0x${string}`;
  /** The token the client may spend, and on which network (spend controls refuse others). */
  network: `eip155:${number}`;
  asset: `0x${string}`;
}

/** A client example's own part: pay the orders API (`GET /weather`, `POST /orders`). */
export type PayOrdersApi = (options: PayOptions) => Promise<PaidCall[]>;

/** What one run of a client example proved. */
export interface ClientRun {
  calls: PaidCall[];
  payerDelta: bigint;
  payToDelta: bigint;
}

/**
 * A client example, end to end: start the local stack with {@link startOrdersApi}, let `pay`
 * (the example's client) pay it, print each answer and receipt and both balance changes, stop
 * everything. `print` receives one line at a time (tests pass a no-op).
 *
 * @example
 * ```ts
 * const run = await runClientExample(payWithFetch);
 * console.log(run.payerDelta); // 20000n
 * ```
 */
export async function runClientExample(
  pay: PayOrdersApi,
  print: (line: string) => void = console.log,
): Promise<ClientRun> {
  print("Starting anvil, the facilitator service and a paid Express API…");
  const stack = await startLocalStack({ startApi: startOrdersApi });
  try {
    const { devnet } = stack;
    print(`API: ${stack.apiUrl} (network ${devnet.network}, USDC ${devnet.usdc.address})`);
    const before = await stack.balances();
    const calls = await pay({
      apiUrl: stack.apiUrl,
      privateKey: devnet.accounts.payer.privateKey,
      network: devnet.network,
      asset: devnet.usdc.address,
    });
    for (const call of calls) {
      print(`\n${call.request} → ${call.status}`);
      print(`  body:    ${JSON.stringify(call.body)}`);
      print(`  receipt: ${call.receipt?.success ? `settled in ${call.receipt.transaction}` : "none"}`);
    }
    const after = await stack.balances();
    const run = { calls, payerDelta: before.payer - after.payer, payToDelta: after.payTo - before.payTo };
    print(
      `\nPayer paid ${atomicToDecimal(run.payerDelta, 6)} USDC; the API received ${atomicToDecimal(run.payToDelta, 6)}.`,
    );
    return run;
  } finally {
    await stack.stop();
  }
}

/**
 * The `pnpm start` of a client example: {@link runClientExample}, and exit code 1 with a short
 * message if it failed.
 *
 * @example
 * ```ts
 * await mainClientExample(payWithAxios);
 * ```
 */
export async function mainClientExample(pay: PayOrdersApi): Promise<void> {
  try {
    await runClientExample(pay);
  } catch (error) {
    console.error("\nExample failed:", error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
