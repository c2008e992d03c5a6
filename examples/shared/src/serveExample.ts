import { atomicToDecimal } from "@x402kit/core";
import { type StartApi, startLocalStack } from "./localStack.js";
import { payOnce } from "./payOnce.js";

/** What a server example's `pnpm start` runs. */
export interface ServeExampleOptions {
  /** Printed before the API's URL, e.g. `"paid hono API"`. */
  label: string;
  startApi: StartApi;
  /** The paid `GET` routes, each paid once at start; the first is the one suggested for `curl`. */
  paidPaths: readonly string[];
}

/**
 * The `pnpm start` of a server example: start the local stack on `PORT` (default 4021), pay each
 * route once and print the receipts and what `payTo` earned, then keep serving until Ctrl-C
 * (SIGINT/SIGTERM stop everything). With `--once` it stops after the first payments. A failure
 * stops everything and exits 1.
 *
 * @example
 * ```ts
 * await serveExample({ label: "paid hono API", startApi, paidPaths: ["/weather", "/ticker"] });
 * ```
 */
export async function serveExample(options: ServeExampleOptions): Promise<void> {
  const once = process.argv.includes("--once");
  const stack = await startLocalStack({ startApi: options.startApi, port: Number(process.env.PORT ?? 4021) });
  const stopAndExit = async (code: number) => {
    await stack.stop();
    process.exit(code);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void stopAndExit(130));

  try {
    const { devnet } = stack;
    const routes = options.paidPaths.map((path) => `GET ${path}`).join(", ");
    console.log(`anvil           ${devnet.rpcUrl} (${devnet.network}, USDC ${devnet.usdc.address})`);
    console.log(`facilitator     ${stack.facilitatorUrl}`);
    console.log(`${options.label.padEnd(15)} ${stack.apiUrl}  (${routes}: 0.01 USDC each)\n`);
    const before = await stack.balances();
    for (const call of await payOnce(stack, options.paidPaths)) {
      console.log(`${call.request} → ${call.status}, receipt: ${JSON.stringify(call.receipt)}`);
      console.log(`  ${call.body.trim().replaceAll("\n", "\n  ")}`);
      if (call.status !== 200 || !call.receipt?.success) throw new Error(`${call.request} was not paid`);
    }
    const earned = (await stack.balances()).payTo - before.payTo;
    console.log(`\npayTo earned ${atomicToDecimal(earned, 6)} USDC on chain.`);
    if (once) await stopAndExit(0);
    console.log(`Serving. Try: curl -i ${stack.apiUrl}${options.paidPaths[0]}   (Ctrl-C stops everything)`);
  } catch (error) {
    console.error("Example failed:", error instanceof Error ? error.message : error);
    await stopAndExit(1);
  }
}
