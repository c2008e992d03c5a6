import {
  Account,
  AccountAddress,
  AccountAuthenticatorEd25519,
  ChainId,
  Ed25519PublicKey,
  Ed25519Signature,
  EntryFunction,
  MultiKey,
  MultiKeyAccount,
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
import {
  checkAptosPayment,
  ExactAptosScheme,
  isSmallOrderEd25519Point,
} from "../src/exact/facilitator/index.js";
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

describe("offline checks added after review", () => {
  const A = AccountAddress.from;
  /** A sponsored transfer of `amount` to `payTo`, signed by `signer` over the message built with `signedFeePayer`. */
  function transfer(options: {
    amount?: bigint;
    payTo?: string;
    gasUnitPrice?: bigint;
    signer?: {
      accountAddress: AccountAddress;
      signTransactionWithAuthenticator: Account["signTransactionWithAuthenticator"];
    };
    signedFeePayer?: AccountAddress;
  }) {
    const signer = options.signer ?? sender;
    const raw = new RawTransaction(
      signer.accountAddress,
      0n,
      transferPayload(requirements.asset, options.payTo ?? requirements.payTo, options.amount ?? 1000n),
      200_000n,
      options.gasUnitPrice ?? 100n,
      BigInt(NOW + 60),
      new ChainId(2),
    );
    const transaction = new SimpleTransaction(raw, A(feePayer));
    const authenticator = signer.signTransactionWithAuthenticator(
      new SimpleTransaction(raw, options.signedFeePayer ?? A(feePayer)),
    );
    return { transaction, authenticator };
  }
  const asPayload = (
    parts: { transaction: SimpleTransaction; authenticator: { bcsToBytes(): Uint8Array } },
    reqs = requirements,
  ): PaymentPayload => ({
    x402Version: 2,
    accepted: reqs,
    payload: {
      transaction: encodeAptosPayload(parts.transaction.bcsToBytes(), parts.authenticator.bcsToBytes()),
    },
  });

  it("refuses a zero amount, and a sponsored payment to the sender itself", () => {
    const zero = { ...requirements, amount: "0" };
    expect(reasonOf(asPayload(transfer({ amount: 0n }), zero), zero)).toBe(R.InvalidPaymentRequirements);
    const toSelf = { ...requirements, payTo: sender.accountAddress.toStringLong() };
    expect(reasonOf(asPayload(transfer({ payTo: toSelf.payTo }), toSelf), toSelf)).toBe(R.SenderIsRecipient);
  });

  it("bounds gas_unit_price at 150 octas by default", async () => {
    // The test double refuses any chain access: an offline refusal names the bound, a pass reaches the chain.
    const scheme = new ExactAptosScheme({
      getAddresses: () => [feePayer],
      signAndSubmitAsFeePayer: () => Promise.reject(new Error("test double: must not submit")),
      submitTransaction: () => Promise.reject(new Error("test double: must not submit")),
      simulateTransaction: () => Promise.reject(new Error("test double: no chain")),
      waitForTransaction: () => Promise.reject(new Error("test double: must not wait")),
    });
    const nowPayload = (price: bigint) => {
      const raw = new RawTransaction(
        sender.accountAddress,
        0n,
        transferPayload(requirements.asset, requirements.payTo, 1000n),
        200_000n,
        price,
        BigInt(Math.floor(Date.now() / 1000) + 60),
        new ChainId(2),
      );
      const transaction = new SimpleTransaction(raw, A(feePayer));
      return asPayload({ transaction, authenticator: sender.signTransactionWithAuthenticator(transaction) });
    };
    expect((await scheme.verify(nowPayload(151n), requirements)).invalidReason).toBe(
      `${R.GasUnitPriceTooHigh}: 151 > 150`,
    );
    expect((await scheme.verify(nowPayload(150n), requirements)).invalidReason).toBe(
      `${R.SimulationFailed}: test double: no chain`,
    );
  });

  it("verifies the signature last: a forged payment with a wrong amount is refused for the amount", () => {
    const forged = transfer({ amount: 999n });
    const bytes = forged.authenticator.bcsToBytes();
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    const payload = asPayload({
      transaction: forged.transaction,
      authenticator: { bcsToBytes: () => bytes },
    });
    expect(reasonOf(payload)).toBe(R.AmountMismatch);
    const good = transfer({});
    const tampered = good.authenticator.bcsToBytes();
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
    expect(
      reasonOf(asPayload({ transaction: good.transaction, authenticator: { bcsToBytes: () => tampered } })),
    ).toBe(R.InvalidSignature);
  });

  it("accepts a MultiKey of up to 3 keys and refuses more with the authenticator reason", () => {
    const multi = (n: number) => {
      const signers = Array.from({ length: n }, () =>
        Account.generate({ scheme: SigningSchemeInput.Secp256k1Ecdsa }),
      );
      const multiKey = new MultiKey({ publicKeys: signers.map((s) => s.publicKey), signaturesRequired: n });
      return new MultiKeyAccount({ multiKey, signers });
    };
    expect(reasonOf(asPayload(transfer({ signer: multi(3) })))).toBe("ok");
    const started = performance.now();
    expect(reasonOf(asPayload(transfer({ signer: multi(4) })))).toBe(R.UnsupportedAuthenticator);
    expect(reasonOf(asPayload(transfer({ signer: multi(32) })))).toBe(R.UnsupportedAuthenticator);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("refuses the identity Ed25519 key with R = identity and S = 0 (node:crypto alone accepts it)", () => {
    const identity = new Uint8Array(32);
    identity[0] = 1;
    const signature = new Uint8Array(64);
    signature[0] = 1;
    const key = new Ed25519PublicKey(identity);
    const forger = {
      accountAddress: key.authKey().derivedAddress(),
      signTransactionWithAuthenticator: () =>
        new AccountAuthenticatorEd25519(key, new Ed25519Signature(signature)),
    } as unknown as Account;
    expect(reasonOf(asPayload(transfer({ signer: forger })))).toBe(R.InvalidSignature);
  });

  it("recognises every small-order Ed25519 encoding (libsodium's list, both signs, non-canonical y)", () => {
    const hex = (h: string) => Uint8Array.from(Buffer.from(h, "hex"));
    const blocklist = [
      "0000000000000000000000000000000000000000000000000000000000000000",
      "0100000000000000000000000000000000000000000000000000000000000000",
      "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ];
    for (const entry of blocklist) {
      const bytes = hex(entry);
      expect(isSmallOrderEd25519Point(bytes), entry).toBe(true);
      bytes[31] = (bytes[31] as number) ^ 0x80;
      expect(isSmallOrderEd25519Point(bytes), `${entry} with the other sign`).toBe(true);
    }
    for (let i = 0; i < 20; i++)
      expect(isSmallOrderEd25519Point(Account.generate().publicKey.toUint8Array())).toBe(false);
  });

  it("accepts a sender signature made with fee payer 0x0 (Aptos accepts it), not one over another fee payer", () => {
    expect(reasonOf(asPayload(transfer({ signedFeePayer: AccountAddress.ZERO })))).toBe("ok");
    const other = Account.generate().accountAddress;
    expect(reasonOf(asPayload(transfer({ signedFeePayer: other })))).toBe(R.InvalidSignature);
  });
});
