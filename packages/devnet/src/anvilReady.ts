import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { getAddress, type Hex } from "viem";
import type { AnvilAccount, AnvilExit } from "./anvil.js";

/** What {@link waitUntilReady} polls for. */
export interface ReadyCheck {
  rpcUrl: string;
  chainId: number;
  configOut: string;
  timeoutMs: number;
  hasExited: () => AnvilExit | undefined;
}

/**
 * Polls until anvil has written its `--config-out` file (which it does only after binding its
 * port, so the endpoint is really ours) and answers `eth_chainId` with the expected id.
 * Resolves with the dev accounts from that file; throws if anvil exits or the time runs out.
 *
 * @example
 * const accounts = await waitUntilReady({ rpcUrl, chainId: 31337, configOut, timeoutMs: 15_000, hasExited });
 */
export async function waitUntilReady(check: ReadyCheck): Promise<AnvilAccount[]> {
  const deadline = Date.now() + check.timeoutMs;
  let accounts: AnvilAccount[] | undefined;
  while (Date.now() < deadline) {
    const exit = check.hasExited();
    if (exit) throw new Error(`anvil exited (code ${exit.code}, signal ${exit.signal}) before it was ready`);
    accounts ??= await readAccounts(check.configOut);
    if (accounts && (await rpcChainId(check.rpcUrl)) === check.chainId) return accounts;
    await sleep(20);
  }
  throw new Error(`anvil did not answer eth_chainId on ${check.rpcUrl} within ${check.timeoutMs} ms`);
}

/** Reads anvil's `--config-out` file; undefined while it is missing or half-written. */
async function readAccounts(path: string): Promise<AnvilAccount[] | undefined> {
  try {
    const config = JSON.parse(await readFile(path, "utf8")) as {
      available_accounts: string[];
      private_keys: Hex[];
    };
    return config.available_accounts.map((address, i) => ({
      address: getAddress(address),
      privateKey: config.private_keys[i]!,
    }));
  } catch {
    return undefined;
  }
}

async function rpcChainId(rpcUrl: string): Promise<number | undefined> {
  try {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(1_000),
    });
    const body = (await response.json()) as { result?: string };
    return body.result === undefined ? undefined : Number(body.result);
  } catch {
    return undefined;
  }
}
