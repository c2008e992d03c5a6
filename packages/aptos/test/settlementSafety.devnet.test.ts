import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Account, Aptos, AptosConfig, Network } from "@aptos-labs/ts-sdk";
import { MemoryStore } from "@x402kit/core/storage";
import { type AptosDevnet, startAptosDevnet } from "@x402kit/devnet/aptos";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  AptosTransactionFailedError,
  ExactAptosScheme,
  type ExactAptosSchemeConfig,
  type FacilitatorAptosSigner,
  toFacilitatorAptosSigner,
} from "../src/exact/facilitator/index.js";
import { ExactAptosReason as R } from "../src/index.js";
import { addressOf, payFor, registerDevnet, requirementsFor } from "./helpers.js";

// Settlement must never lose a payment that lands on chain, nor call a payment failed that may
// still land. These run the real SDK against the stand-in, whose commits can be held back.
let devnet: AptosDevnet;
let payee: Account;
beforeAll(async () => {
  devnet = await startAptosDevnet({ accounts: 8 });
  registerDevnet(devnet);
  payee = devnet.accounts[0] as Account;
});
afterAll(async () => devnet?.stop());

const payeeBalance = () => devnet.ledger.balance(addressOf(payee), devnet.usdc);
const facilitatorOn = (url: string, config: ExactAptosSchemeConfig = {}, waitTimeoutSeconds = 1) =>
  new ExactAptosScheme(
    toFacilitatorAptosSigner(devnet.feePayer, { defaultRpcUrl: url, waitTimeoutSeconds }),
    config,
  );

describe("a payment that may still land is never recorded as failed", () => {
  it("by_hash answers 404 for the whole wait (the API's node has not seen it): pending with the hash, then settled once it commits", async () => {
    const payer = devnet.accounts[1] as Account;
    const asked = requirementsFor(devnet, payee, "4242");
    const payload = await payFor(payer, asked);
    const facilitator = facilitatorOn(devnet.url);
    const before = payeeBalance();
    devnet.ledger.pauseCommits({ visible: false });
    try {
      const first = await facilitator.settle(payload, asked);
      expect(first).toMatchObject({ success: false, errorReason: R.SettlementPending });
      expect(first.transaction).toMatch(/^0x[0-9a-f]{64}$/);
      expect(payeeBalance()).toBe(before);
      expect(await facilitator.verify(payload, asked)).toMatchObject({ isValid: true });
      devnet.ledger.resumeCommits();
      expect(await facilitator.settle(payload, asked)).toMatchObject({
        success: true,
        transaction: first.transaction,
      });
      expect(payeeBalance()).toBe(before + 4242n);
      expect(devnet.ledger.transaction(first.transaction)?.success).toBe(true);
    } finally {
      devnet.ledger.resumeCommits();
    }
  });

  it("unseen past its expiration (plus the margin): a final failure that keeps the hash; a new payment with that sequence number settles", async () => {
    const payer = devnet.accounts[2] as Account;
    const asked = requirementsFor(devnet, payee, "777");
    const payload = await payFor(payer, asked, { expirationSeconds: 7 });
    const facilitator = facilitatorOn(devnet.url, { expirationMarginSeconds: 0 });
    const before = payeeBalance();
    devnet.ledger.pauseCommits({ visible: false });
    let first: Awaited<ReturnType<typeof facilitator.settle>>;
    try {
      first = await facilitator.settle(payload, asked);
      expect(first.errorReason).toBe(R.SettlementPending);
      devnet.ledger.dropPending(); // the node lost it: it can never commit now
    } finally {
      devnet.ledger.resumeCommits();
    }
    const expiresAt = devnet.ledger.info().timestampSeconds + 8;
    while (Math.floor(Date.now() / 1000) <= expiresAt)
      await new Promise((resolve) => setTimeout(resolve, 250));
    const final = await facilitator.settle(payload, asked);
    expect(final).toMatchObject({ success: false, transaction: first.transaction });
    expect(final.errorReason).toBe(`${R.TransactionFailed}: not committed before it expired`);
    expect(await facilitator.settle(payload, asked)).toEqual(final);
    expect(payeeBalance()).toBe(before);
    // Nothing was spent: the payer pays again with the same sequence number, and it settles.
    const again = await payFor(payer, asked);
    expect(await facilitator.verify(again, asked)).toMatchObject({ isValid: true });
    expect(await facilitator.settle(again, asked)).toMatchObject({ success: true });
    expect(payeeBalance()).toBe(before + 777n);
  }, 20_000);
});

describe("a committed failure is final", () => {
  it("the signer reports a transaction that committed with success false as AptosTransactionFailedError", async () => {
    const payer = devnet.accounts[6] as Account;
    const aptos = new Aptos(new AptosConfig({ network: Network.LOCAL, fullnode: devnet.url }));
    // An overdraft the stand-in commits as failed (simulation is skipped: submitted directly).
    const transaction = await aptos.transaction.build.simple({
      sender: payer.accountAddress,
      data: {
        function: "0x1::primary_fungible_store::transfer",
        typeArguments: ["0x1::fungible_asset::Metadata"],
        functionArguments: [devnet.usdc, addressOf(payee), 10n ** 15n],
      },
      options: { maxGasAmount: 10_000, gasUnitPrice: 100 },
    });
    const pending = await aptos.transaction.submit.simple({
      transaction,
      senderAuthenticator: payer.signTransactionWithAuthenticator(transaction),
    });
    const signer = toFacilitatorAptosSigner(devnet.feePayer, {
      defaultRpcUrl: devnet.url,
      waitTimeoutSeconds: 1,
    });
    const failure = await signer
      .waitForTransaction(pending.hash, devnet.network)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AptosTransactionFailedError);
    expect(failure).toMatchObject({
      hash: pending.hash,
      vmStatus: expect.stringMatching(/EINSUFFICIENT_BALANCE/),
    });
  });

  it("is stored with the hash and answered to every retry", async () => {
    const payer = devnet.accounts[7] as Account;
    const asked = requirementsFor(devnet, payee, "55");
    const payload = await payFor(payer, asked);
    const real = toFacilitatorAptosSigner(devnet.feePayer, {
      defaultRpcUrl: devnet.url,
      waitTimeoutSeconds: 1,
    });
    // A test double over the real signer: the chain reports the committed transaction as failed.
    const failsOnChain: FacilitatorAptosSigner = {
      ...real,
      waitForTransaction: (hash) => Promise.reject(new AptosTransactionFailedError(hash, "OUT_OF_GAS")),
    };
    const facilitator = new ExactAptosScheme(failsOnChain);
    const first = await facilitator.settle(payload, asked);
    expect(first).toMatchObject({ success: false, errorReason: `${R.TransactionFailed}: OUT_OF_GAS` });
    expect(first.transaction).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await facilitator.settle(payload, asked)).toEqual(first);
  });
});

describe("the settlement record is written before submission", () => {
  it("a store that fails that write: nothing is submitted; the retry settles", async () => {
    const payer = devnet.accounts[3] as Account;
    const asked = requirementsFor(devnet, payee, "321");
    const payload = await payFor(payer, asked);
    // A test double over a real MemoryStore: its next write of a settlement record fails.
    class FlakyStore extends MemoryStore {
      failNextRecord = true;
      override async set(key: string, value: string, options?: { ttlMs?: number }) {
        if (this.failNextRecord && key.includes("settlement:")) {
          this.failNextRecord = false;
          throw new Error("store unavailable");
        }
        return super.set(key, value, options);
      }
    }
    const store = new FlakyStore();
    const submit = vi.spyOn(devnet.ledger, "submit");
    try {
      const before = payeeBalance();
      const facilitator = facilitatorOn(devnet.url, { store });
      expect(await facilitator.settle(payload, asked)).toMatchObject({
        success: false,
        errorReason: R.UnexpectedSettleError,
      });
      expect(submit).not.toHaveBeenCalled();
      expect(payeeBalance()).toBe(before);
      expect(await facilitator.settle(payload, asked)).toMatchObject({ success: true });
      expect(payeeBalance()).toBe(before + 321n);
    } finally {
      submit.mockRestore();
    }
  });

  it("the node accepted it but the answer was lost: pending with the hash; a restarted facilitator sharing the store follows it", async () => {
    const payer = devnet.accounts[4] as Account;
    const asked = requirementsFor(devnet, payee, "654");
    const payload = await payFor(payer, asked);
    const proxy = await answerLosingProxy(devnet.url);
    try {
      const store = new MemoryStore();
      const before = payeeBalance();
      const first = await facilitatorOn(proxy.url, { store }).settle(payload, asked);
      expect(first).toMatchObject({ success: false, errorReason: R.SettlementPending });
      expect(proxy.dropped).toBe(1);
      expect(devnet.ledger.transaction(first.transaction)?.success).toBe(true);
      const restarted = facilitatorOn(devnet.url, { store });
      expect(await restarted.settle(payload, asked)).toMatchObject({
        success: true,
        transaction: first.transaction,
      });
      expect(payeeBalance()).toBe(before + 654n);
      expect((await restarted.settle(payload, asked)).errorReason).toBe(R.DuplicateSettlement);
    } finally {
      await proxy.close();
    }
  });

  it("recorded, then the process died before sending: the retry on another instance sends the identical bytes", async () => {
    const payer = devnet.accounts[5] as Account;
    const asked = requirementsFor(devnet, payee, "987");
    const payload = await payFor(payer, asked);
    const store = new MemoryStore();
    const real = toFacilitatorAptosSigner(devnet.feePayer, {
      defaultRpcUrl: devnet.url,
      waitTimeoutSeconds: 1,
    });
    // A test double over the real signer: the process "dies" at the moment it would send.
    const diesBeforeSending: FacilitatorAptosSigner = {
      ...real,
      signAndSubmitAsFeePayer: () => Promise.reject(new Error("test double: process died before sending")),
    };
    const before = payeeBalance();
    const first = await new ExactAptosScheme(diesBeforeSending, { store }).settle(payload, asked);
    expect(first).toMatchObject({ success: false, errorReason: R.SettlementPending });
    expect(devnet.ledger.transaction(first.transaction)).toBeUndefined();
    const retry = await new ExactAptosScheme(real, { store }).settle(payload, asked);
    expect(retry).toMatchObject({ success: true, transaction: first.transaction });
    expect(payeeBalance()).toBe(before + 987n);
  });
});

/** A loopback proxy to the stand-in that forwards `POST /transactions` and then drops the connection instead of answering. */
async function answerLosingProxy(
  upstreamUrl: string,
): Promise<{ url: string; dropped: number; close(): Promise<void> }> {
  const upstream = new URL(upstreamUrl);
  const state = { dropped: 0 };
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const answer = await fetch(`${upstream.origin}${request.url}`, {
      method: request.method ?? "GET",
      headers: { "content-type": String(request.headers["content-type"] ?? "application/json") },
      ...(request.method === "POST" ? { body: Buffer.concat(chunks) } : {}),
    });
    const body = Buffer.from(await answer.arrayBuffer());
    if (request.method === "POST" && request.url === "/v1/transactions") {
      state.dropped++;
      request.socket.destroy();
      return;
    }
    const headers: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (name !== "content-length" && name !== "transfer-encoding") headers[name] = value;
    });
    response.writeHead(answer.status, headers);
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    get dropped() {
      return state.dropped;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
