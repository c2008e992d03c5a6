import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Devnet, startDevnet } from "@x402kit/devnet";
import { SqliteStore } from "@x402kit/storage/sqlite";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type FacilitatorProcess,
  requirementsFor,
  sentCount,
  settleOver,
  signPayment,
  spawnFacilitator,
  transfersBetween,
} from "./processes.js";

/**
 * A facilitator killed (SIGKILL) after broadcasting a settlement and before answering, then
 * restarted on the same SQLite file: the retried settle must follow the broadcast transaction,
 * never send a second one. anvil stops mining so the kill surely lands between the two.
 */
const AMOUNT = 3_000_000n;
const GUARD_TTL_MS = 1500;
let devnet: Devnet;
let dir: string;
const running: FacilitatorProcess[] = [];

beforeAll(async () => {
  devnet = await startDevnet();
  dir = await mkdtemp(join(tmpdir(), "x402-facilitator-crash-"));
});
afterAll(async () => {
  for (const p of running)
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
  await devnet?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("a facilitator on SQLite killed between broadcast and answer", () => {
  it("answers the retried settle with that transaction's outcome after a restart, sending nothing new", async () => {
    const file = join(dir, "facilitator.db");
    const env = {
      X402_NETWORKS_EIP155_31337_RPC_URL: devnet.rpcUrl,
      X402_NETWORKS_EIP155_31337_POLLING_INTERVAL_MS: "50",
      X402_NETWORKS_EIP155_31337_RECEIPT_TIMEOUT_MS: "15000",
      X402_NETWORKS_EIP155_31337_GUARD_TTL_MS: String(GUARD_TTL_MS),
      X402_SIGNERS_EIP155_PRIVATE_KEYS: devnet.accounts.facilitator.privateKey,
      X402_FACILITATOR_STORE: `sqlite:${file}`,
    };
    const requirements = requirementsFor(devnet, AMOUNT);
    const payment = await signPayment(devnet, requirements);
    const { payer, payTo, facilitator } = devnet.accounts;
    const fromBlock = await devnet.publicClient.getBlockNumber();
    const before = {
      payer: await devnet.balanceOf(payer.address),
      sent: await sentCount(devnet, [facilitator.address]),
    };

    const first = await spawnFacilitator(env);
    running.push(first);
    await devnet.testClient.setAutomine(false);
    try {
      const unanswered = settleOver(first.url, payment, requirements).then(
        () => "answered",
        () => "no answer",
      );
      // Wait until the broadcast is in the mempool and its record in the store (read from this
      // process: SQLite lets several processes share the file).
      const observer = new SqliteStore(file);
      let hash: `0x${string}` | undefined;
      try {
        await vi.waitFor(
          async () => {
            const records = await observer.list("x402kit:evm:exact:settlement:");
            expect(records).toHaveLength(1);
            hash = JSON.parse(records[0]!.value).hash;
            // Recorded right before broadcasting: wait until the node has it too.
            await devnet.publicClient.getTransaction({ hash: hash! });
          },
          { timeout: 10_000, interval: 50 },
        );
      } finally {
        await observer.close?.();
      }
      const pending = await devnet.publicClient.getTransaction({ hash: hash! });
      expect(pending.blockNumber).toBeNull();
      expect(pending.from.toLowerCase()).toBe(facilitator.address.toLowerCase());

      first.child.kill("SIGKILL");
      await new Promise((resolve) => first.child.once("exit", resolve));
      expect(await unanswered).toBe("no answer");

      // The killed process's guard lapses after its TTL; then a new process takes the retry.
      await new Promise((resolve) => setTimeout(resolve, GUARD_TTL_MS + 300));
      const second = await spawnFacilitator(env);
      running.push(second);
      const retried = settleOver(second.url, payment, requirements);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await devnet.testClient.mine({ blocks: 1 }); // the broadcast transaction lands only now
      expect(await retried).toEqual({
        success: true,
        transaction: hash,
        network: devnet.network,
        payer: payer.address,
        amount: AMOUNT.toString(),
      });
      // That answer was the one success: a copy after it is a duplicate.
      expect(await settleOver(second.url, payment, requirements)).toMatchObject({
        success: false,
        errorReason: "duplicate_settlement",
        transaction: "",
      });
      await second.stop();

      expect(await sentCount(devnet, [facilitator.address])).toBe(before.sent + 1);
      expect(await transfersBetween(devnet, payer.address, payTo.address, fromBlock + 1n)).toHaveLength(1);
      expect(await devnet.balanceOf(payer.address)).toBe(before.payer - AMOUNT);
    } finally {
      await devnet.testClient.setAutomine(true);
    }
  });
});
