import { atomicToDecimal } from "@x402kit/core";
import { x402Client } from "@x402kit/core/client";
import { type SolanaDevnet, startSolanaDevnet } from "@x402kit/devnet/solana";
import {
  base64ToBytes,
  decodeWireTransaction,
  TOKEN_2022_PROGRAM_ADDRESS,
  TOKEN_PROGRAM_ADDRESS,
} from "@x402kit/svm";
import { ExactSvmScheme } from "@x402kit/svm/exact/client";
import { ExactSvmScheme as ExactSvmServerScheme } from "@x402kit/svm/exact/server";
import {
  type DemoResult,
  payAndCheck,
  startFacilitatorService,
  startPaidApi,
  withStack,
} from "../scenario.js";
import type { DemoLog } from "../steps.js";

/** The price of the Solana demo's resource: 0.01 test USDC (6 decimals). */
export const SOLANA_PRICE_ATOMIC = 10_000n;

/**
 * The main job on Solana: a local chain (litesvm served over loopback JSON-RPC, a stand-in for
 * a validator), the facilitator service as fee payer, a paid Express API and a paying client.
 * Fails unless the landed TransferChecked and both balance changes equal the price.
 */
export function runSolanaDemo(log: DemoLog, signal?: AbortSignal): Promise<DemoResult> {
  return withStack(signal, async (stack) => {
    log.step("Starting a local Solana chain (litesvm behind a loopback JSON-RPC) with a test USDC");
    const devnet = await startSolanaDevnet();
    stack.push(() => devnet.stop());
    log.fact("rpc", devnet.rpcUrl);
    log.fact("network", `${devnet.network} (labelled as devnet)`);
    log.fact("USDC", `${devnet.usdc.address} (SPL Token, 6 decimals)`);

    log.step("Starting the facilitator service (the solana plugin; it pays the fees)");
    const facilitatorUrl = await startFacilitatorService(stack, {
      networks: { [devnet.network]: { rpcUrl: devnet.rpcUrl } },
      signers: { solana: { privateKeys: [devnet.accounts.facilitator.secretKeyBase58] } },
      port: 0,
      host: "127.0.0.1",
      store: "memory",
    } as never);
    log.fact("url", facilitatorUrl);
    log.fact("fee payer", devnet.accounts.facilitator.address);

    const { payer, payTo } = devnet.accounts;
    const apiUrl = await startPaidApi(log, stack, {
      facilitatorUrl,
      networks: "solana:*",
      serverScheme: new ExactSvmServerScheme({ rpcUrl: devnet.rpcUrl }),
      network: devnet.network,
      payTo: payTo.address,
      price: { amount: SOLANA_PRICE_ATOMIC.toString(), asset: devnet.usdc.address },
      priceText: `${atomicToDecimal(SOLANA_PRICE_ATOMIC, 6)} USDC`,
      weather: { city: "Lisbon", sky: "clear", paidOn: "solana" },
    });

    const client = new x402Client({
      spendControls: {
        allowedAssets: [
          { network: devnet.network, asset: devnet.usdc.address, maxAmountPerPayment: "100000" },
        ],
      },
    }).register("solana:*", new ExactSvmScheme(payer.signer, { rpcUrl: devnet.rpcUrl }));
    return payAndCheck(log, {
      apiUrl,
      client,
      price: SOLANA_PRICE_ATOMIC,
      decimals: 6,
      balances: async () => ({
        payer: await devnet.tokenBalance(payer.address),
        payTo: await devnet.tokenBalance(payTo.address),
      }),
      transferred: (signature) => landedTransfer(devnet, signature),
      text: {
        pay: "Paying: the client signs a TransferChecked (fee payer: the facilitator) and retries",
        check: "Checking the chain",
        transfer: "TransferChecked",
        settled: "Settled: the landed TransferChecked equals the price.",
      },
    });
  });
}

/** The amount of the TransferChecked in the landed transaction (read back over RPC); throws if it failed. */
async function landedTransfer(devnet: SolanaDevnet, signature: string): Promise<bigint> {
  const response = await fetch(devnet.rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "getTransaction",
      params: [signature, { encoding: "base64" }],
    }),
  });
  const { result } = (await response.json()) as {
    result: { meta: { err: unknown }; transaction: [string, string] } | null;
  };
  if (!result || result.meta.err !== null)
    throw new Error(`transaction ${signature} did not land successfully`);
  const tx = decodeWireTransaction(base64ToBytes(result.transaction[0]));
  const transfer = tx.instructions.find((ix) => {
    const program = tx.staticAccounts[ix.programIdIndex];
    return (program === TOKEN_PROGRAM_ADDRESS || program === TOKEN_2022_PROGRAM_ADDRESS) && ix.data[0] === 12;
  });
  if (!transfer) throw new Error("the landed transaction has no TransferChecked");
  return new DataView(transfer.data.buffer, transfer.data.byteOffset).getBigUint64(1, true);
}
