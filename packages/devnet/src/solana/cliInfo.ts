import type { SolanaDevnet } from "./solanaDevnet.js";

/**
 * The Solana devnet as the CLI prints it with `--json` (one object, secrets included: they are
 * public test keys).
 *
 * @example
 * ```ts
 * JSON.stringify({ solana: describeSolanaDevnet(devnet) });
 * ```
 */
export function describeSolanaDevnet(devnet: SolanaDevnet) {
  return {
    rpcUrl: devnet.rpcUrl,
    network: devnet.network,
    usdc: devnet.usdc,
    usdc2022: devnet.usdc2022,
    accounts: Object.fromEntries(
      Object.entries(devnet.accounts).map(([role, a]) => [
        role,
        { address: a.address, secretKeyBase58: a.secretKeyBase58 },
      ]),
    ),
    note: "litesvm served over loopback JSON-RPC (a stand-in for a validator), labelled as Solana devnet. PUBLIC test keys.",
  };
}

/**
 * The Solana devnet as the CLI prints it for people.
 *
 * @example
 * ```ts
 * process.stdout.write(solanaDevnetLines(devnet).join("\n"));
 * ```
 */
export function solanaDevnetLines(devnet: SolanaDevnet): string[] {
  return [
    "",
    "Solana (litesvm behind a loopback JSON-RPC: a stand-in for a validator)",
    `  RPC URL     ${devnet.rpcUrl}`,
    `  Network     ${devnet.network}  (answers getGenesisHash with devnet's hash)`,
    `  USDC        ${devnet.usdc.address}  (SPL Token, 6 decimals)`,
    `  USDC-2022   ${devnet.usdc2022.address}  (Token-2022, 6 decimals)`,
    "  Accounts (PUBLIC TEST KEYS, base58 64-byte secret; 100 SOL and 1000 of each USDC):",
    ...Object.entries(devnet.accounts).map(
      ([role, a]) => `  ${role.padEnd(12)} ${a.address}  ${a.secretKeyBase58}`,
    ),
    "",
  ];
}
