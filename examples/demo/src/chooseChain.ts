import { runAptosDemo } from "./chains/aptos.js";
import { runSolanaDemo } from "./chains/solana.js";
import { runStellarDemo } from "./chains/stellar.js";
import { runDemo } from "./demo.js";
import type { DemoLog } from "./steps.js";

/** One chain's scenario of the main job: a paid request settled end to end. */
export type ChainDemo = (
  log: DemoLog,
  signal?: AbortSignal,
) => Promise<{ transaction: string; transferred: bigint }>;

/** The demo's chains, by the name `--chain` takes. EVM (anvil) is the default. */
export const CHAIN_DEMOS: Readonly<Record<string, ChainDemo>> = {
  evm: runDemo,
  solana: runSolanaDemo,
  stellar: runStellarDemo,
  aptos: runAptosDemo,
};

/**
 * The chains named by the command line: `--chain <name>` (repeatable, or comma-separated),
 * `--chain all` for every chain; none means EVM.
 *
 * @throws {Error} for a chain the demo does not know.
 * @example
 * ```ts
 * chainsFromArgs(["--chain", "solana"]); // ["solana"]
 * ```
 */
export function chainsFromArgs(args: readonly string[]): string[] {
  const named: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--chain") named.push(...(args[++i] ?? "").split(","));
    else if (arg.startsWith("--chain=")) named.push(...arg.slice("--chain=".length).split(","));
  }
  if (named.includes("all")) return Object.keys(CHAIN_DEMOS);
  for (const name of named)
    if (!CHAIN_DEMOS[name])
      throw new Error(`unknown chain "${name}": choose ${Object.keys(CHAIN_DEMOS).join(", ")} or all`);
  return named.length > 0 ? named : ["evm"];
}
