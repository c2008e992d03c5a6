import type { SettleResponse } from "@x402kit/core";
import { type Devnet, startDevnet } from "@x402kit/devnet";
import { startPostgres, startRedis } from "@x402kit/devnet/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
 * Two facilitator processes (the real CLI, as child processes) sharing one store, each given
 * the same payment: the store's in-flight guard and settlement record must make the pair act
 * as one facilitator. Each process pays gas from its own account, so "one transaction" is
 * counted over both accounts, besides the Transfer events and the balances.
 */
const AMOUNT = 1_250_000n;
let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet();
});
afterAll(() => devnet?.stop());

const backends = [
  ["Redis", startRedis],
  ["PostgreSQL", startPostgres],
] as const;

for (const [name, start] of backends) {
  describe(`two facilitator processes sharing ${name}`, () => {
    let service: { url: string; stop(): Promise<void> } | undefined;
    const processes: FacilitatorProcess[] = [];
    beforeAll(async () => {
      service = await start();
      for (const account of [devnet.accounts.facilitator, devnet.accounts.other])
        processes.push(
          await spawnFacilitator({
            X402_NETWORKS_EIP155_31337_RPC_URL: devnet.rpcUrl,
            X402_NETWORKS_EIP155_31337_POLLING_INTERVAL_MS: "50",
            X402_SIGNERS_EIP155_PRIVATE_KEYS: account.privateKey,
            X402_FACILITATOR_STORE: service.url,
          }),
        );
    });
    afterAll(async () => {
      await Promise.all(processes.map((p) => p.stop()));
      await service?.stop();
    });

    it("settle one payment given 20 times concurrently across both: one transaction, the rest refused", async () => {
      expect(processes[0]!.output()).toContain(`store   ${service!.url.split("://")[0]}://`);
      const requirements = requirementsFor(devnet, AMOUNT);
      const payment = await signPayment(devnet, requirements);
      const { payer, payTo, facilitator, other } = devnet.accounts;
      const gasPayers = [facilitator.address, other.address];
      const fromBlock = await devnet.publicClient.getBlockNumber();
      const before = {
        payer: await devnet.balanceOf(payer.address),
        sent: await sentCount(devnet, gasPayers),
      };

      const results: SettleResponse[] = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          settleOver(processes[i % 2]!.url, structuredClone(payment), requirements),
        ),
      );

      // Exactly one transaction moved the money once.
      expect(await sentCount(devnet, gasPayers)).toBe(before.sent + 1);
      expect(await transfersBetween(devnet, payer.address, payTo.address, fromBlock + 1n)).toHaveLength(1);
      expect(await devnet.balanceOf(payer.address)).toBe(before.payer - AMOUNT);
      // Exactly one answer says "settled" (the server that gets it delivers the content); the
      // other 19 are refused as duplicates, whether they came during or after the settlement.
      const successes = results.filter((r) => r.success);
      const refused = results.filter((r) => !r.success);
      expect(successes).toHaveLength(1);
      const hash = successes[0]!.transaction;
      for (const r of refused)
        expect(r).toMatchObject({ errorReason: "duplicate_settlement", transaction: "" });
      expect(refused).toHaveLength(19);
      console.info(`${name}: 1 success with ${hash}, ${refused.length} duplicate_settlement`);

      // Later copies, on either process, are refused too and send nothing.
      for (const process of processes) {
        const late = await settleOver(process.url, payment, requirements);
        expect(late).toMatchObject({ success: false, errorReason: "duplicate_settlement" });
        expect(late.errorMessage).toContain(hash);
      }
      expect(await sentCount(devnet, gasPayers)).toBe(before.sent + 1);
    });
  });
}
