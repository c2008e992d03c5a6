import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { PaymentRequirements, SettleResponse } from "@x402kit/core";
import { MemoryStore } from "@x402kit/core/storage";
import { type DevAccount, type Devnet, startDevnet } from "@x402kit/devnet";
import { createPublicClient, createWalletClient, http, type PublicClient, parseAbiItem } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  combineFacilitatorEvmSigners,
  ExactEvmScheme,
  type FacilitatorEvmSigner,
  GAS_PRICE_ABOVE_CAP,
  SettlementLedger,
  SettlementReconciler,
  toFacilitatorEvmSigner,
} from "../src/exact/facilitator/index.js";
import { ExactEvmReason as R } from "../src/index.js";
import { signPayment } from "./helpers.js";

/**
 * The EVM facilitator under load and when the chain does not cooperate, on anvil: two signer
 * keys with their own nonce sequences, a gas price cap, receipts that do not come in time
 * (mining off), a dropped transaction (`anvil_dropTransaction`) and a nonce taken by someone else.
 */
const TRANSFER = parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)");
let devnet: Devnet;
let requirements: PaymentRequirements;
let keys: [`0x${string}`, `0x${string}`];
let keyAccounts: [DevAccount, DevAccount];
let nonceRetries: unknown[];

beforeAll(async () => {
  devnet = await startDevnet();
  keyAccounts = [devnet.accounts.facilitator, devnet.allAccounts[5] as DevAccount];
  keys = [keyAccounts[0].privateKey, keyAccounts[1].privateKey];
  requirements = {
    scheme: "exact",
    network: devnet.network,
    amount: "1000",
    asset: devnet.usdc.address,
    payTo: devnet.accounts.payTo.address,
    maxTimeoutSeconds: 600,
    extra: { name: devnet.usdc.name, version: devnet.usdc.version },
  };
});
afterAll(async () => {
  await devnet?.stop();
});
beforeEach(async () => {
  nonceRetries = [];
  await devnet.testClient.setAutomine(true);
});

function signerOf(key: `0x${string}`, gasBounds = {}): FacilitatorEvmSigner {
  return toFacilitatorEvmSigner(
    { walletClient: devnet.walletClient(accountOf(key)), publicClient: devnet.publicClient as never },
    { gasBounds, onNonceRetry: (error) => nonceRetries.push(error) },
  );
}

const accountOf = (key: `0x${string}`) => keyAccounts.find((a) => a.privateKey === key) as DevAccount;
const payers = () =>
  [devnet.accounts.payer, devnet.accounts.other].map((a) => privateKeyToAccount(a.privateKey));
const nonceOf = (key: `0x${string}`, blockTag: "latest" | "pending" = "latest") =>
  devnet.publicClient.getTransactionCount({ address: privateKeyToAccount(key).address, blockTag });

async function transfersSince(fromBlock: bigint) {
  return devnet.publicClient.getLogs({
    address: devnet.usdc.address,
    event: TRANSFER,
    fromBlock,
    toBlock: "latest",
  });
}

describe("50 concurrent payments, two signer keys", () => {
  it("settles every one, from both keys, with no nonce error", async () => {
    const signer = combineFacilitatorEvmSigners(keys.map((key) => signerOf(key)));
    const scheme = new ExactEvmScheme(signer, { receiptTimeoutMs: 30_000 });
    expect(scheme.getSigners(devnet.network)).toEqual(keys.map((k) => privateKeyToAccount(k).address));
    const [a, b] = payers();
    const payments = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signPayment((i % 2 ? a : b)!, requirements)),
    );
    const fromBlock = (await devnet.publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;
    const before = await Promise.all(keys.map((k) => nonceOf(k)));
    const started = performance.now();
    const answers = await Promise.all(payments.map((p) => scheme.settle(p, requirements)));
    const seconds = (performance.now() - started) / 1000;
    const after = await Promise.all(keys.map((k) => nonceOf(k)));

    expect(answers.filter((r) => !r.success).map((r) => r.errorMessage)).toEqual([]);
    expect(new Set(answers.map((r) => r.transaction)).size).toBe(50);
    expect((await transfersSince(fromBlock)).length).toBe(50);
    const sentPerKey = after.map((n, i) => n - (before[i] as number));
    expect(sentPerKey[0]! + sentPerKey[1]!).toBe(50);
    expect(sentPerKey.every((n) => n > 0)).toBe(true);
    expect(nonceRetries).toEqual([]);
    console.info(
      `50 payments settled in ${seconds.toFixed(2)} s by 2 keys (${sentPerKey.join(" + ")}), nonce errors 0`,
    );
  });
});

describe("the signer pool", () => {
  it("sends from the account a call names (an upto witness's facilitator), with value, and refuses an unknown one", async () => {
    const signer = combineFacilitatorEvmSigners(keys.map((key) => signerOf(key)));
    const second = keyAccounts[1].address;
    const to = devnet.accounts.payTo.address;
    const hashes = await Promise.all(
      [1n, 2n, 3n, 4n].map((value) => signer.sendTransaction({ to, data: "0x", value, from: second })),
    );
    for (const hash of hashes) {
      const tx = await devnet.publicClient.getTransaction({ hash });
      expect(tx.from.toLowerCase()).toBe(second.toLowerCase());
    }
    expect((await devnet.publicClient.getTransaction({ hash: hashes[3]! })).value).toBe(4n);
    await expect(signer.sendTransaction({ to, data: "0x", from: to })).rejects.toThrow(/no signer holds/);
  });
});

describe("nonces", () => {
  it("continue after transactions still in the mempool when a signer starts (a restart)", async () => {
    await devnet.testClient.setAutomine(false);
    const key = keys[0];
    const first = new ExactEvmScheme(signerOf(key), { receiptTimeoutMs: 200 });
    const [payer] = payers();
    const early = await Promise.all([1, 2, 3].map(() => signPayment(payer!, requirements)));
    const pending = await Promise.all(early.map((p) => first.settle(p, requirements)));
    expect(pending.map((r) => r.errorReason)).toEqual(Array(3).fill(R.SettlementPending));
    // A new signer (as after a restart) starts from the pending count, not the mined one.
    const restarted = new ExactEvmScheme(signerOf(key), { receiptTimeoutMs: 200 });
    const late = await Promise.all([1, 2, 3].map(() => signPayment(payer!, requirements)));
    const morePending = await Promise.all(late.map((p) => restarted.settle(p, requirements)));
    expect(morePending.map((r) => r.errorReason)).toEqual(Array(3).fill(R.SettlementPending));
    expect(nonceRetries).toEqual([]);
    await devnet.testClient.mine({ blocks: 1 });
    for (const hash of [...pending, ...morePending].map((r) => r.transaction as `0x${string}`))
      expect((await devnet.publicClient.getTransactionReceipt({ hash })).status).toBe("success");
  });

  it("are re-read from the chain when another sender used the key, and the settle still succeeds", async () => {
    const key = keys[1];
    const scheme = new ExactEvmScheme(signerOf(key), { receiptTimeoutMs: 10_000 });
    const [payer] = payers();
    expect((await scheme.settle(await signPayment(payer!, requirements), requirements)).success).toBe(true);
    // Someone else spends the key's next nonce behind the facilitator's back.
    const outsider = devnet.walletClient(accountOf(key));
    await devnet.publicClient.waitForTransactionReceipt({
      hash: await outsider.sendTransaction({ to: devnet.accounts.payTo.address, value: 1n }),
    });
    const answer = await scheme.settle(await signPayment(payer!, requirements), requirements);
    expect(answer).toMatchObject({ success: true });
    expect(nonceRetries.length).toBe(1);
  });
});

describe("gas price bounds", () => {
  it("refuses to settle above the cap, sending nothing", async () => {
    const scheme = new ExactEvmScheme(signerOf(keys[0], { maxFeePerGasWei: 1n }));
    const [payer] = payers();
    const before = { nonce: await nonceOf(keys[0]), balance: await devnet.balanceOf(payer!.address) };
    const answer = await scheme.settle(await signPayment(payer!, requirements), requirements);
    expect(answer).toMatchObject({ success: false, errorReason: GAS_PRICE_ABOVE_CAP, transaction: "" });
    expect(answer.errorMessage).toMatch(/above the cap of 1 wei/);
    expect(await nonceOf(keys[0], "pending")).toBe(before.nonce);
    expect(await devnet.balanceOf(payer!.address)).toBe(before.balance);
  });

  it("settles under the cap, with maxFeePerGas at most the cap and the configured priority fee", async () => {
    const cap = 50_000_000_000n;
    const scheme = new ExactEvmScheme(signerOf(keys[0], { maxFeePerGasWei: cap, priorityFeePerGasWei: 7n }));
    const answer = await scheme.settle(await signPayment(payers()[0]!, requirements), requirements);
    expect(answer.success).toBe(true);
    const tx = await devnet.publicClient.getTransaction({ hash: answer.transaction as `0x${string}` });
    expect(tx.maxFeePerGas! <= cap).toBe(true);
    expect(tx.maxPriorityFeePerGas).toBe(7n);
  });
});

describe("settlements whose receipt did not come in time", () => {
  function setup(key: `0x${string}`) {
    const store = new MemoryStore();
    const signer = signerOf(key);
    const scheme = new ExactEvmScheme(signer, { store, receiptTimeoutMs: 200 });
    const ledger = new SettlementLedger(store, { guardTtlMs: 30_000, recordTtlMs: 3_600_000 });
    const reconciler = new SettlementReconciler(ledger, signer, {
      network: devnet.network,
      rebroadcastAfterMs: 0,
      goneConfirmMs: 0,
    });
    return { scheme, reconciler };
  }
  const settleOnce = async (scheme: ExactEvmScheme) => {
    const payment = await signPayment(payers()[0]!, requirements);
    return { payment, answer: await scheme.settle(payment, requirements) };
  };

  it("are reconciled once mined, and the retried settle answers the outcome once", async () => {
    const { scheme, reconciler } = setup(keys[0]);
    await devnet.testClient.setAutomine(false);
    const { payment, answer } = await settleOnce(scheme);
    expect(answer.errorReason).toBe(R.SettlementPending);
    expect(await reconciler.reconcileOnce()).toMatchObject({ checked: 1, pending: 1 });
    await devnet.testClient.mine({ blocks: 1 });
    expect(await reconciler.reconcileOnce()).toMatchObject({ checked: 1, settled: 1 });
    expect(await reconciler.reconcileOnce()).toMatchObject({ checked: 0 });
    const retried: SettleResponse = await scheme.settle(payment, requirements);
    expect(retried).toMatchObject({ success: true, transaction: answer.transaction });
    expect((await scheme.settle(payment, requirements)).errorReason).toBe(R.DuplicateSettlement);
  });

  it("are re-broadcast with the same signed bytes when dropped, filling the nonce gap behind them", async () => {
    const { scheme, reconciler } = setup(keys[0]);
    await devnet.testClient.setAutomine(false);
    const fromBlock = (await devnet.publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;
    const first = await settleOnce(scheme);
    const second = await settleOnce(scheme);
    const dropped = first.answer.transaction as `0x${string}`;
    await devnet.testClient.dropTransaction({ hash: dropped });
    await devnet.testClient.mine({ blocks: 1 });
    // The second waits behind the gap the dropped one left.
    expect((await transfersSince(fromBlock)).length).toBe(0);
    // anvil may drop the queued one with it; whatever the node no longer knows is sent again, as signed.
    const report = await reconciler.reconcileOnce();
    expect(report.rebroadcast).toBeGreaterThanOrEqual(1);
    expect(report.rebroadcast + report.pending).toBe(2);
    await devnet.testClient.mine({ blocks: 1 });
    expect(await reconciler.reconcileOnce()).toMatchObject({ settled: 2 });
    const answers = [
      await scheme.settle(first.payment, requirements),
      await scheme.settle(second.payment, requirements),
    ];
    expect(answers.map((r) => r.transaction)).toEqual([dropped, second.answer.transaction]);
    expect(answers.every((r) => r.success)).toBe(true);
    expect((await transfersSince(fromBlock)).length).toBe(2);
  });

  it("are forgotten when their nonce was used by another transaction, and the retry settles once", async () => {
    const key = keys[1];
    const { scheme, reconciler } = setup(key);
    await devnet.testClient.setAutomine(false);
    const fromBlock = (await devnet.publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;
    const { payment, answer } = await settleOnce(scheme);
    await devnet.testClient.dropTransaction({ hash: answer.transaction as `0x${string}` });
    // Another sender takes that nonce, so the dropped transaction can never be mined.
    const outsider = devnet.walletClient(accountOf(key));
    await outsider.sendTransaction({
      to: devnet.accounts.payTo.address,
      value: 1n,
      nonce: await nonceOf(key),
    });
    await devnet.testClient.mine({ blocks: 1 });
    // Gone only on a second observation (one lagging read must not forget a paid settlement).
    expect(await reconciler.reconcileOnce()).toMatchObject({ forgotten: 0, pending: 1 });
    expect(await reconciler.reconcileOnce()).toMatchObject({ forgotten: 1 });
    await devnet.testClient.setAutomine(true);
    const retried = await scheme.settle(payment, requirements);
    expect(retried.success).toBe(true);
    expect(retried.transaction).not.toBe(answer.transaction);
    expect((await transfersSince(fromBlock)).length).toBe(1);
  });
});

/**
 * A JSON-RPC proxy in front of anvil that, while `swallow` is set, closes the connection of
 * every `eth_sendRawTransaction` without forwarding it: a signed transaction that never
 * reached the node, the sender not knowing it.
 */
async function swallowingProxy(target: string) {
  const state = { swallow: false, swallowed: 0 };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    if (state.swallow && body.includes('"eth_sendRawTransaction"')) {
      state.swallowed++;
      req.socket.destroy();
      return;
    }
    const answer = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("a signed settlement that never reached the node", () => {
  async function setupBehindProxy(key: `0x${string}`) {
    const proxy = await swallowingProxy(devnet.rpcUrl);
    const transport = http(proxy.url, { retryCount: 0 });
    const account = privateKeyToAccount(key);
    const publicClient = createPublicClient({
      chain: devnet.chain,
      transport,
      pollingInterval: 50,
    }) as PublicClient;
    const walletClient = createWalletClient({ chain: devnet.chain, transport, account, pollingInterval: 50 });
    const signer = toFacilitatorEvmSigner(
      { walletClient, publicClient },
      { onNonceRetry: (error) => nonceRetries.push(error) },
    );
    const store = new MemoryStore();
    const scheme = new ExactEvmScheme(signer, { store, receiptTimeoutMs: 300 });
    const ledger = new SettlementLedger(store, { guardTtlMs: 30_000, recordTtlMs: 3_600_000 });
    const reconciler = new SettlementReconciler(ledger, signer, {
      network: devnet.network,
      rebroadcastAfterMs: 0,
      goneConfirmMs: 0,
    });
    return { proxy, scheme, reconciler };
  }
  const lost = async (scheme: ExactEvmScheme, proxy: Awaited<ReturnType<typeof swallowingProxy>>) => {
    const payment = await signPayment(payers()[0]!, requirements);
    proxy.state.swallow = true;
    const answer = await scheme.settle(payment, requirements);
    proxy.state.swallow = false;
    expect(proxy.state.swallowed).toBe(1);
    expect(answer.errorReason).toBe(R.SettlementPending);
    return { payment, answer };
  };

  it("is sent again with the same bytes when its payment is retried, filling its nonce", async () => {
    const { proxy, scheme } = await setupBehindProxy(keys[0]);
    try {
      const fromBlock = (await devnet.publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;
      const { payment, answer } = await lost(scheme, proxy);
      const retried = await scheme.settle(payment, requirements);
      expect(retried).toMatchObject({ success: true, transaction: answer.transaction });
      // The next settlement follows on the next nonce: no gap, no conflict.
      const next = await scheme.settle(await signPayment(payers()[1]!, requirements), requirements);
      expect(next.success).toBe(true);
      const [a, b] = await Promise.all(
        [retried, next].map((r) =>
          devnet.publicClient.getTransaction({ hash: r.transaction as `0x${string}` }),
        ),
      );
      expect(b!.nonce).toBe(a!.nonce + 1);
      expect((await transfersSince(fromBlock)).length).toBe(2);
      expect(nonceRetries).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it("leaves its nonce to the next settlement (re-read from the node) and is settled afresh once, never twice", async () => {
    const { proxy, scheme, reconciler } = await setupBehindProxy(keys[1]);
    try {
      const fromBlock = (await devnet.publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;
      const { payment, answer } = await lost(scheme, proxy);
      const lostTx = { nonce: await nonceOf(keys[1], "pending") };
      const other = await scheme.settle(await signPayment(payers()[1]!, requirements), requirements);
      expect(other.success).toBe(true);
      const otherTx = await devnet.publicClient.getTransaction({ hash: other.transaction as `0x${string}` });
      expect(otherTx.nonce).toBe(lostTx.nonce); // the nonce the lost one had, reused: no gap
      expect(await reconciler.reconcileOnce()).toMatchObject({ forgotten: 0, pending: 1 });
      expect(await reconciler.reconcileOnce()).toMatchObject({ forgotten: 1 });
      const retried = await scheme.settle(payment, requirements);
      expect(retried.success).toBe(true);
      expect(retried.transaction).not.toBe(answer.transaction);
      expect((await transfersSince(fromBlock)).length).toBe(2);
      expect(nonceRetries).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});
