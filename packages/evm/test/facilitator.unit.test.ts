import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { MemoryStore } from "@x402kit/core/storage";
import { encodeAbiParameters, pad } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ExactEvmScheme, reasonFromRevert, registerExactEvmScheme } from "../src/exact/facilitator/index.js";
import { ExactEvmReason as R } from "../src/index.js";
import { type FakeChain, fakeSigner } from "./fakeSigner.js";
import { signPayment, withInner } from "./helpers.js";

const payer = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
const ASSET = "0x0a55e70000000000000000000000000000000001";
const PAY_TO = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C";
const TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
const requirements: PaymentRequirements = {
  scheme: "exact",
  network: "eip155:31337",
  amount: "10000",
  asset: ASSET,
  payTo: PAY_TO,
  maxTimeoutSeconds: 300,
  extra: { name: "USD Coin", version: "2" },
};

const transferReceipt = (value = 10000n) => ({
  status: "success" as const,
  logs: [
    {
      address: ASSET as `0x${string}`,
      topics: [TRANSFER_TOPIC, pad(payer.address), pad(PAY_TO)] as `0x${string}`[],
      data: encodeAbiParameters([{ type: "uint256" }], [value]),
    },
  ],
});

let chain: FakeChain;
let facilitator: ExactEvmScheme;
let payment: PaymentPayload;

beforeEach(async () => {
  chain = {
    chainId: 31337,
    assetCode: true,
    nonceUsed: false,
    balance: 10n ** 12n,
    tokenName: "USD Coin",
    tokenVersion: "2",
    receipt: async () => transferReceipt(),
    sent: [],
  };
  facilitator = new ExactEvmScheme(fakeSigner(chain), { receiptTimeoutMs: 50 });
  payment = await signPayment(payer, requirements);
});

const verify = (p: PaymentPayload, r: PaymentRequirements = requirements) => facilitator.verify(p, r);

describe("verify (fake chain)", () => {
  it("accepts a valid payment", async () => {
    expect(await verify(payment)).toEqual({ isValid: true, payer: payer.address });
    expect(facilitator.network).toBe("eip155:31337");
    expect(facilitator.getSigners("eip155:31337")).toEqual(["0x1000000000000000000000000000000000000001"]);
    expect(facilitator.getExtra("eip155:31337")).toBeUndefined();
  });

  const malformed: Array<[string, (inner: Record<string, unknown>) => unknown]> = [
    ["a null payload", () => null],
    ["a string payload", () => "0x1234"],
    ["no signature", ({ signature: _, ...rest }) => rest],
    ["a non-hex signature", (p) => ({ ...p, signature: "not-hex" })],
    ["an odd-length signature", (p) => ({ ...p, signature: "0x123" })],
    ["no authorization", ({ authorization: _, ...rest }) => rest],
    ["a numeric value", (p) => ({ ...p, authorization: { ...(p.authorization as object), value: 10000 } })],
    [
      "a numeric validBefore",
      (p) => ({ ...p, authorization: { ...(p.authorization as object), validBefore: 1_900_000_000 } }),
    ],
    ["a hex value", (p) => ({ ...p, authorization: { ...(p.authorization as object), value: "0x2710" } })],
    [
      "a value above uint256",
      (p) => ({ ...p, authorization: { ...(p.authorization as object), value: "9".repeat(78) } }),
    ],
    ["a short nonce", (p) => ({ ...p, authorization: { ...(p.authorization as object), nonce: "0x1234" } })],
    ["a bad from", (p) => ({ ...p, authorization: { ...(p.authorization as object), from: "0x12" } })],
    ["a missing to", (p) => ({ ...p, authorization: { ...(p.authorization as object), to: undefined } })],
    ["an array authorization", (p) => ({ ...p, authorization: [] })],
  ];
  it.each(malformed)("answers invalid_payload for %s without throwing", async (_label, edit) => {
    const result = await verify(withInner(payment, edit));
    expect(result.isValid).toBe(false);
    expect(result.invalidReason).toBe(R.InvalidPayload);
    expect(result.invalidMessage).toBeTruthy();
    const settled = await facilitator.settle(withInner(payment, edit), requirements);
    expect(settled).toMatchObject({ success: false, errorReason: R.InvalidPayload, transaction: "" });
  });

  it("answers invalid_payload when the whole payment payload is garbage", async () => {
    for (const garbage of [null, undefined, 42, "x", {}, { accepted: "x" }])
      expect((await verify(garbage as unknown as PaymentPayload)).invalidReason).toBe(R.InvalidPayload);
  });

  it("routes Permit2 payloads to the Permit2 checks (a malformed one is invalid_payload)", async () => {
    const permit2 = withInner(payment, () => ({
      signature: "0x12",
      permit2Authorization: { from: payer.address },
    }));
    const result = await verify(permit2);
    expect(result.invalidReason).toBe(R.InvalidPayload);
    expect(result.invalidMessage).toContain("permit2Authorization");
  });

  it("answers invalid_payment_requirements for malformed requirements", async () => {
    for (const bad of [{ payTo: "merchant" }, { asset: "USDC" }, { amount: "1.5" }, { amount: 10000 }])
      expect((await verify(payment, { ...requirements, ...bad } as PaymentRequirements)).invalidReason).toBe(
        R.InvalidPaymentRequirements,
      );
    expect((await verify(payment, null as unknown as PaymentRequirements)).invalidReason).toBe(
      R.InvalidPaymentRequirements,
    );
  });

  it("checks scheme, domain and network before anything else", async () => {
    expect((await verify(payment, { ...requirements, scheme: "upto" })).invalidReason).toBe(R.Scheme);
    expect(
      (await verify({ ...payment, accepted: { ...payment.accepted, scheme: "upto" } })).invalidReason,
    ).toBe(R.Scheme);
    expect((await verify(payment, { ...requirements, extra: {} })).invalidReason).toBe(R.MissingEip712Domain);
    expect((await verify(payment, { ...requirements, extra: { name: "USD Coin" } })).invalidReason).toBe(
      R.MissingEip712Domain,
    );
    const otherChain = await signPayment(payer, { ...requirements, network: "eip155:8453" });
    expect((await verify(otherChain, { ...requirements, network: "eip155:8453" })).invalidReason).toBe(
      R.NetworkMismatch,
    );
    expect(
      (await verify({ ...payment, accepted: { ...payment.accepted, network: "eip155:1" } })).invalidReason,
    ).toBe(R.NetworkMismatch);
  });

  it("reports an asset mismatch between accepted and requirements as a signature problem", async () => {
    const result = await verify({ ...payment, accepted: { ...payment.accepted, asset: PAY_TO } });
    expect(result.invalidReason).toBe(R.Signature);
    expect(result.invalidMessage).toMatch(/asset/);
  });

  it("checks recipient, validity window and exact value", async () => {
    const now = Math.floor(Date.now() / 1000);
    const reasons = async (options: Parameters<typeof signPayment>[2]) =>
      (await verify(await signPayment(payer, requirements, options))).invalidReason;
    expect(await reasons({ authorization: { to: payer.address } })).toBe(R.RecipientMismatch);
    expect(await reasons({ authorization: { validBefore: String(now + 3) } })).toBe(R.ValidBefore);
    expect(await reasons({ authorization: { validBefore: String(now + 30) } })).toBeUndefined();
    expect(await reasons({ authorization: { validAfter: String(now + 60) } })).toBe(R.ValidAfter);
    expect(await reasons({ authorization: { value: "10001" } })).toBe(R.ValueMismatch);
    expect(await reasons({ authorization: { value: "9999" } })).toBe(R.ValueMismatch);
  });

  it("checks the signature against the required domain", async () => {
    expect(
      (await verify(await signPayment(payer, requirements, { domain: { chainId: 1 } }))).invalidReason,
    ).toBe(R.Signature);
    expect(
      (await verify(await signPayment(payer, requirements, { domain: { name: "USDC" } }))).invalidReason,
    ).toBe(R.Signature);
    const tampered = withInner(payment, (p) => ({
      ...p,
      signature: `${(p.signature as string).slice(0, -4)}ffff`,
    }));
    expect((await verify(tampered)).invalidReason).toBe(R.Signature);
    const short = withInner(payment, (p) => ({ ...p, signature: (p.signature as string).slice(0, -2) }));
    expect((await verify(short)).invalidReason).toBe(R.Signature);
  });

  it("checks smart-wallet payers with ERC-1271 only, and settles them with the bytes overload", async () => {
    const walletSignature = withInner(payment, (p) => ({ ...p, signature: `0x${"ab".repeat(100)}` }));
    chain.wallet = { accepts: false };
    expect((await verify(walletSignature)).invalidReason).toBe(R.Signature);
    expect((await verify(payment)).invalidReason).toBe(R.Signature); // no ECDSA fallback for wallets
    chain.wallet = { accepts: true };
    expect(await verify(walletSignature)).toEqual({ isValid: true, payer: payer.address });
    expect((await facilitator.settle(walletSignature, requirements)).success).toBe(true);
    expect(chain.sent[0]?.data.slice(0, 10)).toBe("0xcf092995");
  });

  it("reports chain state in a fixed order", async () => {
    chain.balance = 1n;
    chain.nonceUsed = true;
    chain.assetCode = false;
    expect((await verify(payment)).invalidReason).toBe(R.AssetNotDeployed);
    chain.assetCode = true;
    expect((await verify(payment)).invalidReason).toBe(R.NonceAlreadyUsed);
    chain.nonceUsed = false;
    const poor = await verify(payment);
    expect(poor).toMatchObject({
      isValid: false,
      invalidReason: R.InsufficientBalance,
      payer: payer.address,
    });
  });

  it("explains simulation failures by the token's domain, then the revert text, else as simulation_failed", async () => {
    chain.simulationRevert = "FiatTokenV2: invalid signature";
    chain.tokenName = "USDC";
    expect((await verify(payment)).invalidReason).toBe(R.TokenNameMismatch);
    chain.tokenName = "USD Coin";
    chain.tokenVersion = "1";
    expect((await verify(payment)).invalidReason).toBe(R.TokenVersionMismatch);
    chain.tokenVersion = "2";
    expect(await verify(payment)).toMatchObject({
      invalidReason: R.Signature,
      invalidMessage: "FiatTokenV2: invalid signature",
    });
    chain.simulationRevert = "FiatTokenV2: authorization is used or canceled";
    expect((await verify(payment)).invalidReason).toBe(R.NonceAlreadyUsed);
    chain.simulationRevert = "some custom token error";
    expect(await verify(payment)).toMatchObject({
      invalidReason: R.SimulationFailed,
      invalidMessage: "some custom token error",
    });
  });

  it("turns RPC failures into unexpected_verify_error", async () => {
    chain.failRpc = true;
    expect(await verify(payment)).toMatchObject({
      isValid: false,
      invalidReason: R.UnexpectedVerifyError,
      payer: payer.address,
    });
    expect(await facilitator.settle(payment, requirements)).toMatchObject({
      success: false,
      errorReason: R.UnexpectedSettleError,
    });
  });
});

describe("settle (fake chain)", () => {
  it("broadcasts once and reports the settled amount", async () => {
    expect(await facilitator.settle(payment, requirements)).toEqual({
      success: true,
      transaction: `0x${"1".padStart(64, "0")}`,
      network: "eip155:31337",
      payer: payer.address,
      amount: "10000",
    });
    expect(chain.sent).toHaveLength(1);
    expect(chain.sent[0]?.to).toBe(ASSET);
    expect(chain.sent[0]?.data.slice(0, 10)).toBe("0xe3ee160e"); // the v,r,s overload
  });

  it("lets only one of concurrent settles of the same authorization through", async () => {
    let release = () => {};
    chain.receipt = () =>
      new Promise((resolve) => {
        release = () => resolve(transferReceipt());
      });
    const first = facilitator.settle(payment, requirements);
    const duplicates = await Promise.all(
      Array.from({ length: 5 }, () => facilitator.settle(structuredClone(payment), requirements)),
    );
    for (const duplicate of duplicates)
      expect(duplicate).toMatchObject({
        success: false,
        errorReason: R.DuplicateSettlement,
        transaction: "",
      });
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    expect((await first).success).toBe(true);
    expect(chain.sent).toHaveLength(1);
  });

  it("answers settlement_pending on a receipt timeout and picks the same hash up on retry", async () => {
    chain.receipt = () => Promise.reject(new Error("timed out"));
    const pending = await facilitator.settle(payment, requirements);
    expect(pending).toMatchObject({
      success: false,
      errorReason: R.SettlementPending,
      transaction: `0x${"1".padStart(64, "0")}`,
    });
    chain.receipt = async () => transferReceipt();
    chain.nonceUsed = true; // the transaction landed meanwhile: the chain alone would refuse it
    // The retry is verified again first (by the resource server): this very payment is valid,
    // since its settlement was never answered; a different payment on the nonce is not.
    expect(await facilitator.verify(payment, requirements)).toMatchObject({ isValid: true });
    expect(await facilitator.settle(payment, requirements)).toMatchObject({
      success: true,
      transaction: pending.transaction,
    });
    // Answered once: now verify and settle refuse it like any used authorization.
    expect(await facilitator.verify(payment, requirements)).toMatchObject({
      isValid: false,
      invalidReason: R.NonceAlreadyUsed,
    });
    expect((await facilitator.settle(payment, requirements)).errorReason).toBe(R.DuplicateSettlement);
    expect(chain.sent).toHaveLength(1);
  });

  it("answers settlement_pending, not success, when the outcome cannot be recorded", async () => {
    const store = new MemoryStore();
    const flaky = new ExactEvmScheme(fakeSigner(chain), { store });
    const set = store.set.bind(store);
    let failWrites = 0;
    store.set = async (key, value, options) => {
      // The first record write (the broadcast) works; the next (the answer) fails once.
      if (key.includes(":settlement:") && value.includes('"response"') && failWrites++ === 0)
        throw new Error("store down");
      return set(key, value, options);
    };
    const first = await flaky.settle(payment, requirements);
    expect(first).toMatchObject({ success: false, errorReason: R.SettlementPending });
    expect(first.transaction).toMatch(/^0x/);
    chain.nonceUsed = true;
    expect(await flaky.settle(payment, requirements)).toMatchObject({
      success: true,
      transaction: first.transaction,
    });
    expect((await flaky.settle(payment, requirements)).errorReason).toBe(R.DuplicateSettlement);
    expect(chain.sent).toHaveLength(1);
  });

  it("refuses another payment with the same nonce as duplicate_settlement, pending or settled", async () => {
    chain.receipt = () => Promise.reject(new Error("timed out"));
    const pending = await facilitator.settle(payment, requirements);
    expect(pending.errorReason).toBe(R.SettlementPending);
    // Same payer and nonce, a different recipient and price: a new signature the pending one must not answer.
    const otherRequirements = {
      ...requirements,
      payTo: "0x1111111111111111111111111111111111111111",
      amount: "5000000",
    };
    const nonce = (payment.payload as { authorization: { nonce: `0x${string}` } }).authorization.nonce;
    const other = await signPayment(payer, otherRequirements, { authorization: { nonce } });
    chain.receipt = async () => transferReceipt();
    const result = await facilitator.settle(other, otherRequirements);
    expect(result).toMatchObject({ success: false, errorReason: R.DuplicateSettlement, transaction: "" });
    expect(result.errorMessage).toContain(pending.transaction);
    expect(await facilitator.settle(payment, requirements)).toMatchObject({ success: true });
    expect((await facilitator.settle(other, otherRequirements)).errorReason).toBe(R.DuplicateSettlement);
    expect(chain.sent).toHaveLength(1);
  });

  it("gives one success per authorization: a copy after the settlement is a duplicate, sending nothing", async () => {
    const settled = await facilitator.settle(payment, requirements);
    expect(settled.success).toBe(true);
    chain.nonceUsed = true; // a re-verification would now fail: the answer must come from the record
    const copy = await facilitator.settle(structuredClone(payment), requirements);
    expect(copy).toMatchObject({ success: false, errorReason: R.DuplicateSettlement, transaction: "" });
    expect(copy.errorMessage).toContain(settled.transaction);
    expect(chain.sent).toHaveLength(1);
  });

  it("stores the hash before waiting for the receipt, so another instance on the same store follows it", async () => {
    const store = new MemoryStore();
    const a = new ExactEvmScheme(fakeSigner(chain), { receiptTimeoutMs: 1000, store });
    const b = new ExactEvmScheme(fakeSigner(chain), { receiptTimeoutMs: 1000, store });
    let timeOut = () => {};
    chain.receipt = () =>
      new Promise((_resolve, reject) => {
        timeOut = () => reject(new Error("timed out"));
      });
    const first = a.settle(payment, requirements);
    await vi.waitFor(async () =>
      expect((await store.list("")).some((e) => e.key.includes(":settlement:"))).toBe(true),
    );
    const record = (await store.list("")).find((e) => e.key.includes(":settlement:"));
    expect(JSON.parse(record?.value ?? "{}")).toMatchObject({ hash: `0x${"1".padStart(64, "0")}` });
    // While a still waits on its receipt, a copy on b is a concurrent duplicate.
    expect(await b.settle(structuredClone(payment), requirements)).toMatchObject({
      success: false,
      errorReason: R.DuplicateSettlement,
    });
    timeOut();
    expect(await first).toMatchObject({
      errorReason: R.SettlementPending,
      transaction: `0x${"1".padStart(64, "0")}`,
    });
    // The retry lands on b: it follows the recorded hash instead of sending again.
    chain.receipt = async () => transferReceipt();
    chain.nonceUsed = true;
    expect(await b.settle(structuredClone(payment), requirements)).toMatchObject({
      success: true,
      transaction: `0x${"1".padStart(64, "0")}`,
    });
    expect(chain.sent).toHaveLength(1);
  });

  it("refuses concurrent duplicates across instances sharing a store", async () => {
    const store = new MemoryStore();
    const instances = [0, 1].map(
      () => new ExactEvmScheme(fakeSigner(chain), { receiptTimeoutMs: 1000, store }),
    );
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => instances[i % 2]!.settle(structuredClone(payment), requirements)),
    );
    const successes = results.filter((r) => r.success);
    for (const r of successes) expect(r.transaction).toBe(`0x${"1".padStart(64, "0")}`);
    for (const r of results.filter((r) => !r.success)) expect(r.errorReason).toBe(R.DuplicateSettlement);
    expect(successes.length).toBeGreaterThanOrEqual(1);
    expect(chain.sent).toHaveLength(1);
  });

  it("frees the guard of a holder that never released it after its TTL", async () => {
    const store = new MemoryStore();
    const scheme = new ExactEvmScheme(fakeSigner(chain), { receiptTimeoutMs: 50, store, guardTtlMs: 150 });
    const { from, nonce } = (payment.payload as { authorization: { from: string; nonce: string } })
      .authorization;
    const key = `x402kit:evm:exact:inflight:${`eip155:31337:${ASSET}:${from}:${nonce}`.toLowerCase()}`;
    expect(await store.claim(key, "crashed-holder", { ttlMs: 150 })).toBe(true);
    expect((await scheme.settle(payment, requirements)).errorReason).toBe(R.DuplicateSettlement);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await scheme.settle(payment, requirements)).success).toBe(true);
    expect(chain.sent).toHaveLength(1);
  });

  it("follows a transaction lost in transit by its hash instead of calling the payment failed", async () => {
    chain.lostInTransit = true;
    expect(await facilitator.settle(payment, requirements)).toMatchObject({
      success: true,
      transaction: `0x${"1".padStart(64, "0")}`,
    });
    expect(chain.sent).toHaveLength(1);
  });

  it("maps broadcast errors by revert text", async () => {
    chain.sendError = "Execution reverted with reason: FiatTokenV2: authorization is used or canceled";
    expect(await facilitator.settle(payment, requirements)).toMatchObject({
      success: false,
      errorReason: R.NonceAlreadyUsed,
      errorMessage: chain.sendError,
      transaction: "",
    });
  });

  it("fails a reverted transaction and one without the Transfer event", async () => {
    chain.receipt = async () => ({ status: "reverted", logs: [] });
    expect(await facilitator.settle(payment, requirements)).toMatchObject({
      success: false,
      errorReason: R.TransactionFailed,
    });
    chain.receipt = async () => transferReceipt(9999n);
    const second = await signPayment(payer, requirements);
    const result = await facilitator.settle(second, requirements);
    expect(result).toMatchObject({ success: false, errorReason: R.TransferEventMismatch });
    expect(result.transaction).toMatch(/^0x/);
  });

  it("registerExactEvmScheme registers one instance per signer for its own network", () => {
    const calls: Array<[string | string[], string]> = [];
    const engine = {
      register: (networks: string | string[], scheme: { scheme: string }) =>
        calls.push([networks, scheme.scheme]),
    };
    registerExactEvmScheme(engine, { signer: [fakeSigner(chain), fakeSigner({ ...chain, chainId: 8453 })] });
    expect(calls).toEqual([
      ["eip155:31337", "exact"],
      ["eip155:8453", "exact"],
    ]);
    calls.length = 0;
    registerExactEvmScheme(engine, { signer: fakeSigner(chain), networks: "eip155:31337" });
    expect(calls).toEqual([["eip155:31337", "exact"]]);
    expect(() =>
      registerExactEvmScheme(engine, { signer: fakeSigner(chain), networks: ["eip155:1"] }),
    ).toThrow(/no signer is connected to eip155:1/);
  });
});

describe("reasonFromRevert", () => {
  it.each([
    ["FiatTokenV2: authorization is expired", R.ValidBefore],
    ["AuthorizationExpired()", R.ValidBefore],
    ["FiatTokenV2: authorization is not yet valid", R.ValidAfter],
    ["FiatTokenV2: authorization is used or canceled", R.NonceAlreadyUsed],
    ["ERC20: transfer amount exceeds balance", R.InsufficientBalance],
    ["ERC20InsufficientBalance(0x.., 1, 2)", R.InsufficientBalance],
    ["FiatTokenV2: invalid signature", R.Signature],
    ["nonce too low", R.TransactionFailed],
  ])("%s → %s", (text, reason) => expect(reasonFromRevert(text)).toBe(reason));
});
