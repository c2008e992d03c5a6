import { hashTypedData, keccak256, stringToHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import {
  checkPermit2Authorization,
  createPermit2Nonce,
  describePermit2PayloadProblem,
  describePermit2Revert,
  encodeExactPermit2Settle,
  exactPermit2ProxyConfig,
  isPermit2Payload,
  Permit2Reason,
  permit2NonceKey,
  permit2ReasonFromRevert,
  permit2TypedDataOf,
  permit2WitnessTypedData,
  permit2WitnessTypes,
  x402ExactPermit2ProxyAddress,
} from "../../src/permit2/index.js";

// Golden vector of exact-evm.md §7 (anvil key #0, chain 84532).
const KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const ASSET = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";
const PAY_TO = "0x209693Bc6afc0C5328bA36FaF03C514EF312287C";
const DIGEST = "0x5773ed477918b34b5786e1ee182c07d561ec542df85d7601b02e7e6cdf419044";
const SIGNATURE =
  "0xdc936281001a24f7e6a8db45bf94f97ca4a85fe14c8f271a1a1943057e00b5384eaf19da927b804b043d22416641768659454d700bcd6af4d18b619d653d10d11c";

const account = privateKeyToAccount(KEY);
const auth = {
  from: account.address,
  permitted: { token: ASSET, amount: "10000" },
  spender: x402ExactPermit2ProxyAddress,
  nonce: "12345678901234567890",
  deadline: "1900000000",
  witness: { to: PAY_TO, validAfter: "0" },
} as const;

describe("Permit2 typed data", () => {
  it("hashes and signs the golden vector of exact-evm.md §7", async () => {
    const typedData = permit2WitnessTypedData(84532, permit2WitnessTypes, {
      permitted: { token: ASSET, amount: 10000n },
      spender: x402ExactPermit2ProxyAddress,
      nonce: 12345678901234567890n,
      deadline: 1900000000n,
      witness: { to: PAY_TO, validAfter: 0n },
    });
    expect(hashTypedData(typedData as never)).toBe(DIGEST);
    expect(await account.signTypedData(typedData as never)).toBe(SIGNATURE);
    expect(hashTypedData(permit2TypedDataOf({ ...auth }, 84532, exactPermit2ProxyConfig) as never)).toBe(
      DIGEST,
    );
  });

  it("uses the witness type string the proxy passes to Permit2", () => {
    const typeHash = keccak256(
      stringToHex(
        "PermitWitnessTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline,Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,uint256 validAfter)",
      ),
    );
    expect(typeHash).toBe("0xebc156cd23678a74c94df13d772ef5478420637f0c94bd10d509e1dc98f521c7");
    expect(keccak256(stringToHex("Witness(address to,uint256 validAfter)"))).toBe(
      "0xd97b3239a7f32295517bd14cb074edfdd188dfe5eb42f802bb26d4fd1eb12c37",
    );
  });
});

describe("Permit2 payload validation", () => {
  const payload = { signature: SIGNATURE, permit2Authorization: auth };

  it("accepts the official shape", () => {
    expect(describePermit2PayloadProblem(payload)).toBeUndefined();
    expect(isPermit2Payload(payload)).toBe(true);
  });

  it.each([
    [null, "payload must be an object"],
    [{ ...payload, signature: "0x" }, "payload.signature must be 0x-prefixed hex bytes"],
    [{ signature: SIGNATURE }, "payload.permit2Authorization must be an object"],
    [
      { ...payload, permit2Authorization: { ...auth, from: "0x1234" } },
      "payload.permit2Authorization.from must be a 20-byte hex address",
    ],
    [
      { ...payload, permit2Authorization: { ...auth, permitted: { token: ASSET, amount: "-1" } } },
      "payload.permit2Authorization.permitted.amount must be a uint256 string",
    ],
    [
      { ...payload, permit2Authorization: { ...auth, nonce: (2n ** 256n).toString() } },
      "payload.permit2Authorization.nonce must be a uint256 string",
    ],
    [
      { ...payload, permit2Authorization: { ...auth, deadline: 1900000000 } },
      "payload.permit2Authorization.deadline must be a uint256 string",
    ],
    [
      { ...payload, permit2Authorization: { ...auth, witness: { to: PAY_TO } } },
      "payload.permit2Authorization.witness.validAfter must be a uint256 string",
    ],
  ])("refuses %j: %s", (input, problem) => {
    expect(describePermit2PayloadProblem(input)).toBe(problem);
    expect(isPermit2Payload(input)).toBe(false);
  });

  it("checks the upto witness shape when asked", () => {
    expect(
      describePermit2PayloadProblem(payload, { addresses: ["to", "facilitator"], uints: ["validAfter"] }),
    ).toBe("payload.permit2Authorization.witness.facilitator must be a 20-byte hex address");
  });
});

describe("checkPermit2Authorization (official order)", () => {
  const requirements = { asset: ASSET, payTo: PAY_TO, amount: "10000" };
  const check = (overrides: Record<string, unknown>, now = 1_800_000_000) =>
    checkPermit2Authorization({ ...auth, ...overrides } as never, requirements, {
      config: exactPermit2ProxyConfig,
      nowSeconds: now,
    });

  it("passes a matching authorization", () => expect(check({}).ok).toBe(true));
  it.each([
    [{ spender: PAY_TO }, Permit2Reason.InvalidSpender],
    [{ witness: { to: ASSET, validAfter: "0" } }, Permit2Reason.RecipientMismatch],
    [{ deadline: "1800000005" }, Permit2Reason.DeadlineExpired],
    [{ witness: { to: PAY_TO, validAfter: "1800000001" } }, Permit2Reason.NotYetValid],
    [{ permitted: { token: ASSET, amount: "10001" } }, Permit2Reason.AmountMismatch],
    [{ permitted: { token: PAY_TO, amount: "10000" } }, Permit2Reason.TokenMismatch],
    // two problems: the earlier check in the official order wins
    [{ spender: PAY_TO, permitted: { token: PAY_TO, amount: "1" } }, Permit2Reason.InvalidSpender],
  ])("refuses %j as %s", (overrides, reason) => {
    const result = check(overrides);
    expect(result.ok ? undefined : result.reason).toBe(reason);
  });
  it("accepts a deadline exactly 6 s away", () => expect(check({ deadline: "1800000006" }).ok).toBe(true));
});

describe("nonces, keys, calldata, reverts", () => {
  it("creates distinct decimal uint256 nonces", () => {
    const nonces = new Set(Array.from({ length: 50 }, createPermit2Nonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(nonce).toMatch(/^\d{1,78}$/);
  });

  it("keys a nonce by network, Permit2 and owner, whatever its spelling", () => {
    expect(permit2NonceKey("eip155:1", auth.from, "255")).toBe(
      permit2NonceKey("eip155:1", auth.from.toLowerCase(), "0xff"),
    );
    expect(permit2NonceKey("eip155:1", auth.from, "1")).not.toBe(permit2NonceKey("eip155:2", auth.from, "1"));
  });

  it("encodes settle and settleWithPermit with the official selectors", () => {
    const payload = { signature: SIGNATURE, permit2Authorization: auth } as never;
    expect(encodeExactPermit2Settle(payload).slice(0, 10)).toBe("0x13cd3b53");
    const permit = encodeExactPermit2Settle(payload, {
      amount: "10000",
      deadline: "1900000000",
      signature: SIGNATURE,
    });
    expect(permit.slice(0, 10)).toBe("0xfa340378");
  });

  it("names raw custom errors and maps them to the official reasons", () => {
    const text = describePermit2Revert("execution reverted — data: 0x756688fe");
    expect(text).toContain("InvalidNonce");
    expect(permit2ReasonFromRevert(text)).toBe(Permit2Reason.InvalidNonce);
    expect(permit2ReasonFromRevert("Permit2612AmountMismatch()")).toBe(
      Permit2Reason.Permit2612AmountMismatch,
    );
    expect(permit2ReasonFromRevert("boom")).toBe("invalid_exact_evm_transaction_failed: boom");
  });
});
