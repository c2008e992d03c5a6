import type { Ed25519Account } from "@aptos-labs/ts-sdk";
import type { AptosDevnet } from "./startAptosDevnet.js";

/**
 * The Aptos stand-in as the CLI prints it with `--json` (private keys included: they are public
 * test keys, generated per run).
 *
 * @example
 * ```ts
 * JSON.stringify({ aptos: describeAptosDevnet(devnet) });
 * ```
 */
export function describeAptosDevnet(devnet: AptosDevnet) {
  const key = (account: unknown) => (account as Ed25519Account).privateKey.toString();
  return {
    nodeUrl: devnet.url,
    network: devnet.network,
    usdc: devnet.usdc,
    feePayer: { address: devnet.feePayer.accountAddress.toStringLong(), privateKey: key(devnet.feePayer) },
    accounts: devnet.accounts.map((a) => ({ address: a.accountAddress.toStringLong(), privateKey: key(a) })),
    note: "a local stand-in of the Aptos node REST API (not an Aptos node). PUBLIC test keys.",
  };
}

/**
 * The Aptos stand-in as the CLI prints it for people.
 *
 * @example
 * ```ts
 * process.stdout.write(aptosDevnetLines(devnet).join("\n"));
 * ```
 */
export function aptosDevnetLines(devnet: AptosDevnet): string[] {
  const info = describeAptosDevnet(devnet);
  return [
    "",
    "Aptos (a local stand-in of the node REST API, not an Aptos node)",
    `  node URL    ${info.nodeUrl}`,
    `  network     ${info.network}`,
    `  USDC        ${info.usdc} (fungible asset, 6 decimals)`,
    `  fee payer   ${info.feePayer.address}  key ${info.feePayer.privateKey}`,
    ...info.accounts.map((a, i) => `  account ${i}   ${a.address}  key ${a.privateKey}  (1 APT, 1000 USDC)`),
    "",
  ];
}
