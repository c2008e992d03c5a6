#!/usr/bin/env node
import { parseArgs } from "node:util";
import { isAddress, parseUnits } from "viem";
import { type AptosDevnet, aptosDevnetLines, describeAptosDevnet, startAptosDevnet } from "./aptos/index.js";
import { TEST_USDC } from "./constants.js";
import { type Devnet, type Funding, startDevnet } from "./devnet.js";
import {
  describeSolanaDevnet,
  type SolanaDevnet,
  solanaDevnetLines,
  startSolanaDevnet,
} from "./solana/index.js";

const USAGE = `Usage: x402kit-devnet [--port <n>] [--fund <address>]... [--amount <usdc>] [--json]

Starts a local chain (anvil, chain id 31337) with TestUSDC and Multicall3, and runs until Ctrl-C.
  --port <n>          listen on 127.0.0.1:<n> (default: a free port)
  --fund <address>    also mint USDC to this address (repeatable)
  --amount <usdc>     USDC per --fund address, in whole tokens (default 1000)
  --solana            also start a local Solana chain (litesvm over loopback JSON-RPC)
  --aptos             also start a local stand-in of the Aptos node REST API
  --json              print the devnet info as one JSON line
  -h, --help          show this help`;

function fail(message: string): never {
  process.stderr.write(`x402kit-devnet: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      fund: { type: "string", multiple: true },
      amount: { type: "string" },
      json: { type: "boolean", default: false },
      solana: { type: "boolean", default: false },
      aptos: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) fail("bad --port");
  let amount: bigint;
  try {
    amount = parseUnits(values.amount ?? "1000", TEST_USDC.decimals);
  } catch {
    fail("bad --amount");
  }
  const fund: Funding[] = (values.fund ?? []).map((address) => {
    if (!isAddress(address, { strict: false })) fail(`bad --fund address: ${address}`);
    return { address, amount };
  });
  return { port, fund, json: values.json, solana: values.solana, aptos: values.aptos };
}

function describe(devnet: Devnet, funded: readonly Funding[]) {
  return {
    rpcUrl: devnet.rpcUrl,
    chainId: devnet.chainId,
    network: devnet.network,
    usdc: { address: devnet.usdc.address, name: devnet.usdc.name, version: devnet.usdc.version, decimals: 6 },
    multicall3: devnet.multicall3,
    tokens: Object.fromEntries(
      Object.entries(devnet.tokens).map(([key, t]) => [
        key,
        { address: t.address, name: t.name, version: t.version, decimals: t.decimals, eip3009: t.eip3009 },
      ]),
    ),
    contracts: devnet.contracts,
    accounts: devnet.accounts,
    funded: funded.map((f) => ({ address: f.address, amount: String(f.amount) })),
    note: "The private keys are PUBLIC test keys (mnemonic 'test ... junk'). Never use them on a real network.",
  };
}

function printHuman(devnet: Devnet, funded: readonly Funding[]): void {
  const lines = [
    "x402kit devnet is running. Press Ctrl-C to stop.",
    "",
    `  RPC URL     ${devnet.rpcUrl}`,
    `  Chain id    ${devnet.chainId}`,
    `  Network     ${devnet.network}`,
    `  USDC        ${devnet.usdc.address}  (EIP-712 name "${devnet.usdc.name}", version "${devnet.usdc.version}", 6 decimals)`,
    `  Multicall3  ${devnet.multicall3}`,
    `  PUSD        ${devnet.tokens.permit2Usd.address}  (Permit2 only: EIP-2612, no EIP-3009, 6 decimals)`,
    `  USD18       ${devnet.tokens.usd18.address}  (EIP-3009 and EIP-2612, 18 decimals)`,
    `  Permit2     ${devnet.contracts.permit2}  (our SignatureTransfer stand-in)`,
    `  x402 exact  ${devnet.contracts.x402ExactPermit2Proxy}  (our x402ExactPermit2Proxy stand-in)`,
    `  x402 upto   ${devnet.contracts.x402UptoPermit2Proxy}  (our x402UptoPermit2Proxy stand-in)`,
    `  Wallets     ${devnet.contracts.smartWalletFactory}  (smart-wallet CREATE2 factory)`,
    "",
    "Accounts. PUBLIC TEST KEYS from the well-known mnemonic: never use them on a real network.",
    ...Object.entries(devnet.accounts).map(
      ([role, account]) => `  ${role.padEnd(12)} ${account.address}  ${account.privateKey}`,
    ),
    "  (facilitator, payer, payTo and other hold 1000 USDC, PUSD and USD18 each)",
    ...funded.map((f) => `  funded       ${f.address}  ${Number(f.amount) / 10 ** TEST_USDC.decimals} USDC`),
    "",
  ];
  process.stdout.write(lines.join("\n"));
}

async function main(): Promise<void> {
  const options = parseOptions();
  let devnet: Devnet | undefined;
  let solana: SolanaDevnet | undefined;
  let aptos: AptosDevnet | undefined;
  let stopping = false;
  // Keeps Node alive: anvil's process handle is unref'd so that library users never hang on it.
  const keepAlive = setInterval(() => {}, 1 << 30);
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    clearInterval(keepAlive);
    await Promise.all([devnet?.stop(), solana?.stop(), aptos?.stop()]);
    process.exit(code);
  };
  // Registered before startup so Ctrl-C during startup also ends cleanly. `on`, not `once`: while
  // we have a listener, the library's cleanup hook leaves the exit to us instead of re-raising.
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  devnet = await startDevnet({ port: options.port, fund: options.fund });
  void devnet.anvil.exited.then((exit) => {
    if (stopping) return;
    process.stderr.write(
      `x402kit-devnet: anvil exited unexpectedly (code ${exit.code}, signal ${exit.signal})\n`,
    );
    void shutdown(1);
  });
  if (options.solana) solana = await startSolanaDevnet();
  if (options.aptos) aptos = await startAptosDevnet();
  const solanaInfo = {
    ...(solana ? { solana: describeSolanaDevnet(solana) } : {}),
    ...(aptos ? { aptos: describeAptosDevnet(aptos) } : {}),
  };
  if (options.json)
    process.stdout.write(`${JSON.stringify({ ...describe(devnet, options.fund), ...solanaInfo })}\n`);
  else printHuman(devnet, options.fund);
  if (solana && !options.json) process.stdout.write(solanaDevnetLines(solana).join("\n"));
  if (aptos && !options.json) process.stdout.write(aptosDevnetLines(aptos).join("\n"));
}

main().catch((error: unknown) => {
  process.stderr.write(`x402kit-devnet: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
