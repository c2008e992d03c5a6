import {
  Account,
  AccountAddress,
  ChainId,
  EntryFunction,
  parseTypeTag,
  RawTransaction,
  Script,
  SigningSchemeInput,
  SimpleTransaction,
  TransactionPayloadEntryFunction,
  TransactionPayloadScript,
  U64,
} from "@aptos-labs/ts-sdk";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { describe, expect, it } from "vitest";
import { checkAptosPayment, ExactAptosScheme } from "../src/exact/facilitator/index.js";
import { encodeAptosPayload, ExactAptosReason as R, transferPayload } from "../src/index.js";

const sender = Account.generate();
const feePayer = Account.generate().accountAddress.toStringLong();
const NOW = 1_800_000_000;
const requirements: PaymentRequirements = {
  scheme: "exact",
  network: "aptos:2",
  amount: "1000",
  asset: `0x${"aa".repeat(32)}`,
  payTo: `0x${"bb".repeat(32)}`,
  maxTimeoutSeconds: 60,
  extra: { feePayer },
};
const context = { feePayers: [feePayer], nowSeconds: NOW, maxGasAmount: 500_000n, maxGasUnitPrice: 1_000n };

function signed(options: {
  payload?: TransactionPayloadEntryFunction | TransactionPayloadScript;
  chainId?: number;
  signer?: Account;
}): PaymentPayload {
  const raw = new RawTransaction(
    sender.accountAddress,
    0n,
    options.payload ?? transferPayload(requirements.asset, requirements.payTo, 1000n),
    200_000n,
    100n,
    BigInt(NOW + 60),
    new ChainId(options.chainId ?? 2),
  );
  const transaction = new SimpleTransaction(raw, AccountAddress.from(feePayer));
  const authenticator = (options.signer ?? sender).signTransactionWithAuthenticator(transaction);
  return {
    x402Version: 2,
    accepted: requirements,
    payload: { transaction: encodeAptosPayload(transaction.bcsToBytes(), authenticator.bcsToBytes()) },
  };
}

const reasonOf = (payload: PaymentPayload, reqs: PaymentRequirements = requirements) => {
  const result = checkAptosPayment(payload, reqs, context);
  return result.ok ? "ok" : result.reason;
};
const call = (
  module: `${string}::${string}`,
  fn: string,
  typeArgs: string[],
  args: Array<AccountAddress | U64>,
) =>
  new TransactionPayloadEntryFunction(
    EntryFunction.build(
      module,
      fn,
      typeArgs.map((t) => parseTypeTag(t)),
      args,
    ),
  );

describe("checkAptosPayment (offline checks)", () => {
  it("accepts a well-formed sponsored transfer", () => {
    expect(reasonOf(signed({}))).toBe("ok");
  });

  it("refuses the envelope: version, scheme, network, fee payer, encoding", () => {
    const good = signed({});
    expect(reasonOf({ ...good, x402Version: 1 } as unknown as PaymentPayload)).toBe(R.UnsupportedVersion);
    expect(reasonOf({ ...good, accepted: { ...requirements, scheme: "upto" } })).toBe(R.UnsupportedScheme);
    expect(reasonOf({ ...good, accepted: { ...requirements, network: "aptos:1" } })).toBe(R.NetworkMismatch);
    const stranger = {
      ...requirements,
      extra: { feePayer: Account.generate().accountAddress.toStringLong() },
    };
    expect(reasonOf({ ...good, accepted: stranger }, stranger)).toBe(R.FeePayerNotManaged);
    expect(reasonOf({ ...good, payload: { transaction: "!!" } })).toMatch(
      /^invalid_exact_aptos_payload_verification_error: /,
    );
    expect(reasonOf({ ...good, payload: {} })).toMatch(/^invalid_exact_aptos_payload_verification_error: /);
    const bad = { ...requirements, payTo: "0x1" };
    expect(reasonOf({ ...good, accepted: bad }, bad)).toBe(R.InvalidPaymentRequirements);
  });

  it("refuses another chain id, with the official message", () => {
    expect(reasonOf(signed({ chainId: 1 }))).toBe(`${R.ChainIdMismatch}: expected 2, got 1`);
  });

  it("refuses a script, another function, another type argument and malformed arguments", () => {
    const { asset, payTo } = requirements;
    const A = AccountAddress.from;
    const script = new TransactionPayloadScript(new Script(new Uint8Array([1]), [], []));
    expect(reasonOf(signed({ payload: script }))).toBe(R.MissingEntryFunction);
    const meta = ["0x1::fungible_asset::Metadata"];
    expect(
      reasonOf(
        signed({
          payload: call("0x1::fungible_asset", "transfer", meta, [A(asset), A(payTo), new U64(1000)]),
        }),
      ),
    ).toBe(R.WrongFunction);
    expect(
      reasonOf(signed({ payload: call("0x1::aptos_account", "transfer", [], [A(payTo), new U64(1000)]) })),
    ).toBe(R.WrongFunction);
    expect(
      reasonOf(
        signed({
          payload: call(
            "0x1::primary_fungible_store",
            "transfer",
            ["0x1::object::ObjectCore"],
            [A(asset), A(payTo), new U64(1000)],
          ),
        }),
      ),
    ).toBe(R.WrongTypeArgs);
    expect(
      reasonOf(
        signed({ payload: call("0x1::primary_fungible_store", "transfer", meta, [A(asset), A(payTo)]) }),
      ),
    ).toBe(R.WrongArgs);
    expect(
      reasonOf(
        signed({
          payload: call("0x1::primary_fungible_store", "transfer", meta, [
            A(asset),
            new U64(1),
            new U64(1000),
          ]),
        }),
      ),
    ).toBe(R.WrongArgs);
  });

  it("refuses a transaction signed by a key that is not the sender's", () => {
    expect(reasonOf(signed({ signer: Account.generate() }))).toBe(R.SenderAuthenticatorMismatch);
  });

  it("accepts a SingleKey (secp256k1) sender, verified with the SDK", () => {
    const k1 = Account.generate({ scheme: SigningSchemeInput.Secp256k1Ecdsa });
    const raw = new RawTransaction(
      k1.accountAddress,
      0n,
      transferPayload(requirements.asset, requirements.payTo, 1000n),
      200_000n,
      100n,
      BigInt(NOW + 60),
      new ChainId(2),
    );
    const transaction = new SimpleTransaction(raw, AccountAddress.from(feePayer));
    const auth = k1.signTransactionWithAuthenticator(transaction);
    expect(auth.isSingleKey()).toBe(true);
    const payload = {
      ...signed({}),
      payload: { transaction: encodeAptosPayload(transaction.bcsToBytes(), auth.bcsToBytes()) },
    };
    expect(reasonOf(payload)).toBe("ok");
  });
});

describe("ExactAptosScheme (facilitator) on hostile input", () => {
  // A test double: any chain access would be a bug here, so every member throws.
  const unreachableChain = {
    getAddresses: () => [feePayer],
    signAndSubmitAsFeePayer: () => Promise.reject(new Error("test double: must not submit")),
    submitTransaction: () => Promise.reject(new Error("test double: must not submit")),
    simulateTransaction: () => Promise.reject(new Error("test double: must not simulate")),
    waitForTransaction: () => Promise.reject(new Error("test double: must not wait")),
  };
  const scheme = new ExactAptosScheme(unreachableChain);

  it("answers every malformed call with a reason, never a throw", async () => {
    const good = signed({});
    const inputs: Array<[unknown, unknown]> = [
      [null, requirements],
      [good, null],
      [{ ...good, payload: 42 }, requirements],
      [{ ...good, payload: { transaction: ["not", "a", "string"] } }, requirements],
      [{ ...good, accepted: null }, requirements],
      [good, { ...requirements, extra: "feePayer" }],
      [good, { ...requirements, amount: 1000 }],
    ];
    for (const [payload, reqs] of inputs) {
      const verified = await scheme.verify(payload as PaymentPayload, reqs as PaymentRequirements);
      expect(verified.isValid).toBe(false);
      expect(verified.invalidReason).toEqual(expect.any(String));
      const settled = await scheme.settle(payload as PaymentPayload, reqs as PaymentRequirements);
      expect(settled).toMatchObject({ success: false, transaction: "" });
    }
  });

  it("advertises its fee payer, or nothing when it does not sponsor", () => {
    expect(scheme.getExtra("aptos:2")).toEqual({ feePayer });
    expect(new ExactAptosScheme(unreachableChain, false).getExtra("aptos:2")).toBeUndefined();
    expect(scheme.caipFamily).toBe("aptos:*");
  });
});
