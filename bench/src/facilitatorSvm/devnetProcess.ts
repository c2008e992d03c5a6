// The Solana devnet of the SVM facilitator bench, in its own process: litesvm's simulation
// then never shares the measuring process's core or event loop.
import { startSolanaDevnet } from "@x402kit/devnet/solana";

/** What the devnet process reports once ready. */
export interface SvmDevnetReady {
  type: "ready";
  rpcUrl: string;
  network: string;
  usdc: string;
  payTo: string;
}

const devnet = await startSolanaDevnet();
const ready: SvmDevnetReady = {
  type: "ready",
  rpcUrl: devnet.rpcUrl,
  network: devnet.network,
  usdc: devnet.usdc.address,
  payTo: devnet.accounts.payTo.address,
};
process.send?.(ready);
// Held open by the RPC server's parent: stop when told or when the parent goes away.
const keepAlive = setInterval(() => {}, 1 << 30);
const stop = () => {
  clearInterval(keepAlive);
  void devnet.stop().then(() => process.exit(0));
};
process.on("message", (message) => message === "stop" && stop());
process.on("disconnect", stop);
