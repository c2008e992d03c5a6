import { domainSeparator, type Hex, keccak256, parseEventLogs, parseSignature, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Devnet, startDevnet, testUsdcAbi } from "../src/index.js";
import {
  type Authorization,
  randomNonce,
  reasonFromRevertText,
  revertReason,
  signAuthorization,
  signCancel,
  signPermit,
} from "./helpers.js";

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet();
});
afterAll(async () => {
  await devnet?.stop();
});

const ONE_USDC = 1_000_000n;

const read = <T>(functionName: string, args: readonly unknown[] = []) =>
  devnet.publicClient.readContract({
    address: devnet.usdc.address,
    abi: testUsdcAbi,
    functionName,
    args,
  } as never) as Promise<T>;

/** Submits a TestUSDC call from the facilitator account, returning the receipt (throws on revert). */
async function send(functionName: string, args: readonly unknown[], from = devnet.accounts.facilitator) {
  const wallet = devnet.walletClient(from);
  // simulate first: a revert then surfaces as an error with the reason instead of a mined failure.
  const { request } = await devnet.publicClient.simulateContract({
    address: devnet.usdc.address,
    abi: testUsdcAbi,
    functionName,
    args,
    account: wallet.account,
  } as never);
  const hash = await wallet.writeContract(request as never);
  const receipt = await devnet.publicClient.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  return receipt;
}

async function now(): Promise<bigint> {
  return (await devnet.publicClient.getBlock()).timestamp;
}

async function authorization(overrides: Partial<Authorization> = {}): Promise<Authorization> {
  return {
    from: devnet.accounts.payer.address,
    to: devnet.accounts.payTo.address,
    value: ONE_USDC,
    validAfter: 0n,
    validBefore: (await now()) + 300n,
    nonce: randomNonce(),
    ...overrides,
  };
}

const args = (a: Authorization) => [a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce] as const;
const vrs = (signature: Hex) => {
  const { v, r, s } = parseSignature(signature);
  return [Number(v), r, s] as const;
};

describe("TestUSDC metadata", () => {
  it("has USDC's name, symbol, decimals and EIP-712 version", async () => {
    expect(await read("name")).toBe("USD Coin");
    expect(await read("symbol")).toBe("USDC");
    expect(await read("decimals")).toBe(6);
    expect(await read("version")).toBe("2");
  });

  it("uses the domain {name, version, chainId, verifyingContract} and reports it via ERC-5267", async () => {
    expect(await read("DOMAIN_SEPARATOR")).toBe(domainSeparator({ domain: devnet.usdc.domain }));
    const [fields, name, version, chainId, verifyingContract, salt, extensions] =
      await read<readonly unknown[]>("eip712Domain");
    expect({ fields, name, version, chainId, verifyingContract, salt, extensions }).toEqual({
      fields: "0x0f",
      name: "USD Coin",
      version: "2",
      chainId: 31337n,
      verifyingContract: devnet.usdc.address,
      salt: `0x${"0".repeat(64)}`,
      extensions: [],
    });
  });

  it("has the EIP-3009 typehash of the x402 spec", async () => {
    expect(await read("TRANSFER_WITH_AUTHORIZATION_TYPEHASH")).toBe(
      "0x7c7c6cdb67a18743f49ec6fa9b35f50d52ed05cbed4cc592e13b44501c1a2267",
    );
    expect(await read("CANCEL_AUTHORIZATION_TYPEHASH")).toBe(
      keccak256(toHex("CancelAuthorization(address authorizer,bytes32 nonce)")),
    );
  });
});

describe("transferWithAuthorization", () => {
  it("moves money with the (v,r,s) overload and marks the nonce used", async () => {
    const { payer, payTo } = devnet.accounts;
    const auth = await authorization();
    const signature = await signAuthorization(devnet, payer, auth);
    const [payerBefore, payToBefore] = [
      await devnet.balanceOf(payer.address),
      await devnet.balanceOf(payTo.address),
    ];
    expect(await read("authorizationState", [auth.from, auth.nonce])).toBe(false);

    const receipt = await send("transferWithAuthorization", [...args(auth), ...vrs(signature)]);

    expect(await devnet.balanceOf(payer.address)).toBe(payerBefore - ONE_USDC);
    expect(await devnet.balanceOf(payTo.address)).toBe(payToBefore + ONE_USDC);
    expect(await read("authorizationState", [auth.from, auth.nonce])).toBe(true);
    const events = parseEventLogs({ abi: testUsdcAbi, logs: receipt.logs });
    expect(events.map((e) => e.eventName)).toEqual(["AuthorizationUsed", "Transfer"]);
    expect(events[1]?.args).toEqual({ from: auth.from, to: auth.to, value: auth.value });
  });

  it("moves money with the (bytes signature) overload; a replay reverts as 'used'", async () => {
    const auth = await authorization({ value: 2n * ONE_USDC });
    const signature = await signAuthorization(devnet, devnet.accounts.payer, auth);
    const before = await devnet.balanceOf(auth.to);
    await send("transferWithAuthorization", [...args(auth), signature]);
    expect(await devnet.balanceOf(auth.to)).toBe(before + 2n * ONE_USDC);

    const replayBytes = await revertReason(send("transferWithAuthorization", [...args(auth), signature]));
    const replayVrs = await revertReason(
      send("transferWithAuthorization", [...args(auth), ...vrs(signature)]),
    );
    for (const reason of [replayBytes, replayVrs]) {
      expect(reason).toMatch(/authorization is used or canceled/);
      expect(reasonFromRevertText(reason)).toBe("invalid_exact_evm_nonce_already_used");
    }
  });

  it("rejects expired and not-yet-valid authorizations", async () => {
    const t = await now();
    const expired = await authorization({ validBefore: t - 1n });
    const early = await authorization({ validAfter: t + 3600n, validBefore: t + 7200n });
    const payer = devnet.accounts.payer;
    const expiredReason = await revertReason(
      send("transferWithAuthorization", [...args(expired), await signAuthorization(devnet, payer, expired)]),
    );
    const earlyReason = await revertReason(
      send("transferWithAuthorization", [...args(early), await signAuthorization(devnet, payer, early)]),
    );
    expect(expiredReason).toMatch(/authorization is expired/);
    expect(reasonFromRevertText(expiredReason)).toBe("invalid_exact_evm_payload_authorization_valid_before");
    expect(earlyReason).toMatch(/authorization is not yet valid/);
    expect(reasonFromRevertText(earlyReason)).toBe("invalid_exact_evm_payload_authorization_valid_after");
  });

  it("rejects a wrong signer, a malformed signature and an overdraft", async () => {
    const auth = await authorization();
    const wrongSigner = await signAuthorization(devnet, devnet.accounts.other, auth);
    const goodSignature = await signAuthorization(devnet, devnet.accounts.payer, auth);
    const reasons = [
      await revertReason(send("transferWithAuthorization", [...args(auth), wrongSigner])),
      await revertReason(send("transferWithAuthorization", [...args(auth), ...vrs(wrongSigner)])),
      await revertReason(send("transferWithAuthorization", [...args(auth), `${goodSignature}00`])),
    ];
    for (const reason of reasons) {
      expect(reason).toMatch(/invalid signature/);
      expect(reasonFromRevertText(reason)).toBe("invalid_exact_evm_signature");
    }

    const tooMuch = await authorization({ value: 10n ** 15n });
    const overdraft = await revertReason(
      send("transferWithAuthorization", [
        ...args(tooMuch),
        await signAuthorization(devnet, devnet.accounts.payer, tooMuch),
      ]),
    );
    expect(overdraft).toMatch(/transfer amount exceeds balance/);
    expect(reasonFromRevertText(overdraft)).toBe("invalid_exact_evm_insufficient_balance");
  });

  it("accepts ERC-1271 signatures when `from` is a contract", async () => {
    const owner = devnet.accounts.other;
    const wallet = await devnet.deploySmartWallet(owner.address, 1271n);
    await devnet.mint(wallet, 5n * ONE_USDC);

    const auth = await authorization({ from: wallet });
    const ownerSignature = await signAuthorization(devnet, owner, auth);
    const strangerSignature = await signAuthorization(devnet, devnet.accounts.payer, auth);
    expect(await revertReason(send("transferWithAuthorization", [...args(auth), strangerSignature]))).toMatch(
      /invalid signature/,
    );
    await send("transferWithAuthorization", [...args(auth), ownerSignature]);
    expect(await devnet.balanceOf(wallet)).toBe(4n * ONE_USDC);

    // Like USDC v2.2, the (v,r,s) overload also goes through ERC-1271 for a contract `from`.
    const auth2 = await authorization({ from: wallet });
    await send("transferWithAuthorization", [
      ...args(auth2),
      ...vrs(await signAuthorization(devnet, owner, auth2)),
    ]);
    expect(await devnet.balanceOf(wallet)).toBe(3n * ONE_USDC);
  });
});

describe("receiveWithAuthorization", () => {
  it("only lets the payee submit", async () => {
    const { payer, payTo } = devnet.accounts;
    const auth = await authorization();
    const signature = await signAuthorization(devnet, payer, auth, "ReceiveWithAuthorization");
    expect(await revertReason(send("receiveWithAuthorization", [...args(auth), signature]))).toMatch(
      /caller must be the payee/,
    );
    const before = await devnet.balanceOf(payTo.address);
    await send("receiveWithAuthorization", [...args(auth), ...vrs(signature)], payTo);
    expect(await devnet.balanceOf(payTo.address)).toBe(before + ONE_USDC);
  });
});

describe("cancelAuthorization", () => {
  it("burns the nonce with either overload, so the authorization can no longer be used", async () => {
    const payer = devnet.accounts.payer;
    for (const overload of ["vrs", "bytes"] as const) {
      const auth = await authorization();
      const cancel = await signCancel(devnet, payer, payer.address, auth.nonce);
      const receipt = await send("cancelAuthorization", [
        payer.address,
        auth.nonce,
        ...(overload === "vrs" ? vrs(cancel) : [cancel]),
      ]);
      expect(
        parseEventLogs({ abi: testUsdcAbi, logs: receipt.logs, eventName: "AuthorizationCanceled" }),
      ).toHaveLength(1);
      expect(await read("authorizationState", [payer.address, auth.nonce])).toBe(true);
      const transfer = await signAuthorization(devnet, payer, auth);
      expect(await revertReason(send("transferWithAuthorization", [...args(auth), transfer]))).toMatch(
        /authorization is used or canceled/,
      );
      expect(await revertReason(send("cancelAuthorization", [payer.address, auth.nonce, cancel]))).toMatch(
        /authorization is used or canceled/,
      );
    }
  });
});

describe("permit (EIP-2612)", () => {
  it("sets an allowance from a signature and bumps the nonce", async () => {
    const { payer, facilitator, payTo } = devnet.accounts;
    const nonce = await read<bigint>("nonces", [payer.address]);
    const deadline = (await now()) + 600n;
    const message = {
      owner: payer.address,
      spender: facilitator.address,
      value: 3n * ONE_USDC,
      nonce,
      deadline,
    };
    const signature = await signPermit(devnet, payer, message);
    await send("permit", [payer.address, facilitator.address, message.value, deadline, ...vrs(signature)]);
    expect(await read("allowance", [payer.address, facilitator.address])).toBe(3n * ONE_USDC);
    expect(await read("nonces", [payer.address])).toBe(nonce + 1n);

    const before = await devnet.balanceOf(payTo.address);
    await send("transferFrom", [payer.address, payTo.address, 2n * ONE_USDC]);
    expect(await devnet.balanceOf(payTo.address)).toBe(before + 2n * ONE_USDC);
    expect(await read("allowance", [payer.address, facilitator.address])).toBe(ONE_USDC);

    // The bytes overload, and a replay of the old signature (stale nonce) failing.
    const next = { ...message, value: 0n, nonce: nonce + 1n };
    await send("permit", [
      payer.address,
      facilitator.address,
      0n,
      deadline,
      await signPermit(devnet, payer, next),
    ]);
    expect(await read("allowance", [payer.address, facilitator.address])).toBe(0n);
    expect(
      await revertReason(
        send("permit", [payer.address, facilitator.address, message.value, deadline, signature]),
      ),
    ).toMatch(/invalid signature/);

    const late = { ...message, nonce: nonce + 2n, deadline: (await now()) - 1n };
    const lateSignature = await signPermit(devnet, payer, late);
    expect(
      await revertReason(
        send("permit", [payer.address, facilitator.address, late.value, late.deadline, lateSignature]),
      ),
    ).toMatch(/permit is expired/);
  });
});
