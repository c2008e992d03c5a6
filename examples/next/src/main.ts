import { atomicToDecimal } from "@x402kit/core";
import { startLocalStack } from "./localStack.js";
import { payOnce } from "./payOnce.js";

// `pnpm start` (in examples/next): a paid Next.js site on a local chain. It pays each route once to
// show the flow, then keeps serving until Ctrl-C (`--once`: stop after that first payment).
const once = process.argv.includes("--once");
const stack = await startLocalStack(Number(process.env.PORT ?? 4021));
const stopAndExit = async (code: number) => {
  await stack.stop();
  process.exit(code);
};
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void stopAndExit(130));

try {
  const { devnet } = stack;
  console.log(`anvil           ${devnet.rpcUrl} (${devnet.network}, USDC ${devnet.usdc.address})`);
  console.log(`facilitator     ${stack.facilitatorUrl}`);
  console.log(
    `paid Next site  ${stack.apiUrl}  (GET /api/weather, /api/ticker, /api/report: 0.01 USDC each)\n`,
  );
  const before = await devnet.balanceOf(devnet.accounts.payTo.address);
  for (const call of await payOnce(stack)) {
    console.log(`GET ${call.path} → ${call.status}, receipt: ${JSON.stringify(call.receipt)}`);
    console.log(`  ${call.body.trim().replaceAll("\n", "\n  ")}`);
    if (call.status !== 200 || !call.receipt?.success) throw new Error(`${call.path} was not paid`);
  }
  const earned = (await devnet.balanceOf(devnet.accounts.payTo.address)) - before;
  console.log(`\npayTo earned ${atomicToDecimal(earned, 6)} USDC on chain.`);
  if (once) await stopAndExit(0);
  console.log(`Serving. Try: curl -i ${stack.apiUrl}/api/weather   (Ctrl-C stops everything)`);
} catch (error) {
  console.error("Example failed:", error instanceof Error ? error.message : error);
  await stopAndExit(1);
}
