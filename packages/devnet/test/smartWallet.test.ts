import {
  type Address,
  encodeFunctionData,
  erc20Abi,
  type Hex,
  hashTypedData,
  keccak256,
  parseErc6492Signature,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Devnet,
  devnetEip3009TokenAbi,
  devnetPermit2Abi,
  ERC6492_MAGIC_SUFFIX,
  MULTICALL3_ADDRESS,
  multicall3Abi,
  PERMIT2_ADDRESS,
  SMART_WALLET_FACTORY_ADDRESS,
  smartWalletAbi,
  smartWalletAddress,
  smartWalletFactoryAbi,
  smartWalletFactoryCalldata,
  startDevnet,
  wrapErc6492,
  X402_EXACT_PERMIT2_PROXY,
  x402ExactPermit2ProxyAbi,
} from "../src/index.js";
import { type Authorization, randomNonce } from "./helpers.js";
import { newPermit, revertName, signExactPermit } from "./permit2Helpers.js";

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet();
});
afterAll(async () => {
  await devnet?.stop();
});

const authorizationTypes = {
  TransferWithAuthorization: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "validAfter", type: "uint256" },
    { name: "validBefore", type: "uint256" },
    { name: "nonce", type: "bytes32" },
  ],
} as const;

/** An EIP-3009 authorization of the 18-decimals token, signed by `signer` for `from` (a wallet). */
async function usd18Authorization(from: Address, signerKey: Hex, value: bigint) {
  const token = devnet.tokens.usd18;
  const auth: Authorization = {
    from,
    to: devnet.accounts.payTo.address,
    value,
    validAfter: 0n,
    validBefore: BigInt(Math.floor(Date.now() / 1000) + 600),
    nonce: randomNonce(),
  };
  const typedData = {
    domain: token.domain,
    types: authorizationTypes,
    primaryType: "TransferWithAuthorization",
    message: auth,
  } as const;
  const signature = await privateKeyToAccount(signerKey).signTypedData(typedData);
  return { auth, signature, typedData };
}

function transferCalldata(auth: Authorization, signature: Hex): Hex {
  return encodeFunctionData({
    abi: devnetEip3009TokenAbi,
    functionName: "transferWithAuthorization",
    args: [auth.from, auth.to, auth.value, auth.validAfter, auth.validBefore, auth.nonce, signature],
  });
}

describe("DevnetSmartWallet and its CREATE2 factory", () => {
  it("has a deterministic address, computed offline and on chain, deployed once", async () => {
    const owner = devnet.accounts.payer.address;
    const predicted = smartWalletAddress(owner, 5n);
    expect(
      await devnet.publicClient.readContract({
        address: SMART_WALLET_FACTORY_ADDRESS,
        abi: smartWalletFactoryAbi,
        functionName: "getAddress",
        args: [owner, toHex(5n, { size: 32 })],
      }),
    ).toBe(predicted);
    expect(smartWalletAddress(owner, 6n)).not.toBe(predicted);
    expect(await devnet.publicClient.getCode({ address: predicted })).toBeUndefined();

    expect(await devnet.deploySmartWallet(owner, 5n)).toBe(predicted);
    expect(await devnet.deploySmartWallet(owner, 5n)).toBe(predicted); // idempotent
    expect(
      await devnet.publicClient.readContract({
        address: predicted,
        abi: smartWalletAbi,
        functionName: "owner",
      }),
    ).toBe(owner);
  });

  it("answers ERC-1271 with 0x1626ba7e for its owner's signature only", async () => {
    const { payer, other } = devnet.accounts;
    const wallet = await devnet.deploySmartWallet(payer.address, 1271n);
    const hash = keccak256(toHex("x402"));
    const check = (signature: Hex) =>
      devnet.publicClient.readContract({
        address: wallet,
        abi: smartWalletAbi,
        functionName: "isValidSignature",
        args: [hash, signature],
      });
    expect(await check(await privateKeyToAccount(payer.privateKey).sign({ hash }))).toBe("0x1626ba7e");
    expect(await check(await privateKeyToAccount(other.privateKey).sign({ hash }))).toBe("0xffffffff");
    expect(await check("0x1234")).toBe("0xffffffff");
  });

  it("a deployed wallet pays the 18-decimals token by EIP-3009 with an ERC-1271 signature", async () => {
    const { payer, other, facilitator, payTo } = devnet.accounts;
    const token = devnet.tokens.usd18.address;
    const wallet = await devnet.deploySmartWallet(payer.address, 3009n);
    await devnet.mint(wallet, 10n ** 18n, token);
    const oneCent = 10n ** 16n;

    const stranger = await usd18Authorization(wallet, other.privateKey, oneCent);
    const send = (data: Hex) => devnet.walletClient(facilitator).sendTransaction({ to: token, data });
    await expect(send(transferCalldata(stranger.auth, stranger.signature))).rejects.toThrow(
      /invalid signature/,
    );

    const { auth, signature } = await usd18Authorization(wallet, payer.privateKey, oneCent);
    const before = await devnet.balanceOf(payTo.address, token);
    await devnet.publicClient.waitForTransactionReceipt({
      hash: await send(transferCalldata(auth, signature)),
    });
    expect(await devnet.balanceOf(payTo.address, token)).toBe(before + oneCent);
  });

  it("a deployed wallet approves Permit2 through execute and pays through the exact proxy", async () => {
    const { payer, other, facilitator, payTo } = devnet.accounts;
    const token = devnet.tokens.permit2Usd.address;
    const wallet = await devnet.deploySmartWallet(payer.address, 2n);
    await devnet.mint(wallet, 1_000_000n, token);
    await expect(
      devnet.smartWalletExecute(other, wallet, {
        to: token,
        data: encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [PERMIT2_ADDRESS, 1n] }),
      }),
    ).rejects.toThrow(/NotOwner|reverted/);
    await devnet.smartWalletExecute(payer, wallet, {
      to: token,
      data: encodeFunctionData({
        abi: erc20Abi,
        functionName: "approve",
        args: [PERMIT2_ADDRESS, 10n ** 30n],
      }),
    });
    expect(await devnet.allowance(wallet, PERMIT2_ADDRESS, token)).toBe(10n ** 30n);

    const witness = { to: payTo.address, validAfter: 0n };
    const permit = await newPermit(devnet, token, 40_000n);
    const settle = async (signature: Hex) =>
      devnet.publicClient.simulateContract({
        account: privateKeyToAccount(facilitator.privateKey),
        address: X402_EXACT_PERMIT2_PROXY,
        abi: [...x402ExactPermit2ProxyAbi, ...devnetPermit2Abi.filter((i) => i.type === "error")],
        functionName: "settle",
        args: [permit, wallet, witness, signature],
      });
    // The owner signs the Permit2 typed data; Permit2 asks the wallet (ERC-1271), which checks the owner.
    const stranger = await signExactPermit(devnet, other, permit, witness, X402_EXACT_PERMIT2_PROXY);
    expect(await revertName(settle(stranger))).toBe("InvalidContractSignature");
    const signature = await signExactPermit(devnet, payer, permit, witness, X402_EXACT_PERMIT2_PROXY);
    const { request } = await settle(signature);
    const hash = await devnet.walletClient(facilitator).writeContract(request);
    expect((await devnet.publicClient.waitForTransactionReceipt({ hash })).status).toBe("success");
    expect(await devnet.balanceOf(wallet, token)).toBe(960_000n);
  });
});

describe("ERC-6492: a counterfactual wallet", () => {
  it("wraps signatures in the ERC-6492 layout", () => {
    const calldata = smartWalletFactoryCalldata(devnet.accounts.payer.address, 9n);
    const wrapped = wrapErc6492(SMART_WALLET_FACTORY_ADDRESS, calldata, "0xabcdef");
    expect(wrapped.endsWith(ERC6492_MAGIC_SUFFIX.slice(2))).toBe(true);
    expect(parseErc6492Signature(wrapped)).toEqual({
      address: SMART_WALLET_FACTORY_ADDRESS,
      data: calldata,
      signature: "0xabcdef",
    });
  });

  it("verifies by deploy-then-verify in simulation, then deploys and pays for real", async () => {
    const { payer, other, facilitator, payTo } = devnet.accounts;
    const token = devnet.tokens.usd18.address;
    const salt = 6492n;
    const wallet = smartWalletAddress(payer.address, salt);
    await devnet.mint(wallet, 10n ** 18n, token); // an address can hold tokens before it has code
    const factoryCalldata = smartWalletFactoryCalldata(payer.address, salt);
    const value = 5n * 10n ** 15n;

    const good = await usd18Authorization(wallet, payer.privateKey, value);
    const bad = await usd18Authorization(wallet, other.privateKey, value);
    const wrap = (signature: Hex) => wrapErc6492(SMART_WALLET_FACTORY_ADDRESS, factoryCalldata, signature);

    // viem's ERC-6492 check runs the factory call and ERC-1271 in one eth_call (a deployless validator).
    const verify = (signature: Hex) =>
      devnet.publicClient.verifyHash({ address: wallet, hash: hashTypedData(good.typedData), signature });
    expect(await verify(wrap(good.signature))).toBe(true);
    expect(await verify(wrap(bad.signature))).toBe(false);

    // What the official facilitator simulates: Multicall3 tryAggregate(factory call, token transfer).
    const simulate = (signature: Hex) =>
      devnet.publicClient.simulateContract({
        address: MULTICALL3_ADDRESS,
        abi: multicall3Abi,
        functionName: "tryAggregate",
        args: [
          false,
          [
            { target: SMART_WALLET_FACTORY_ADDRESS, callData: factoryCalldata },
            { target: token, callData: transferCalldata(good.auth, signature) },
          ],
        ],
      });
    expect((await simulate(good.signature)).result.map((r) => r.success)).toEqual([true, true]);
    expect((await simulate(bad.signature)).result.map((r) => r.success)).toEqual([true, false]);
    expect(await devnet.publicClient.getCode({ address: wallet })).toBeUndefined(); // simulation only

    // Settlement: deploy through the factory, then transfer with the inner signature.
    expect(await devnet.deploySmartWallet(payer.address, salt)).toBe(wallet);
    const before = await devnet.balanceOf(payTo.address, token);
    const hash = await devnet
      .walletClient(facilitator)
      .sendTransaction({ to: token, data: transferCalldata(good.auth, good.signature) });
    expect((await devnet.publicClient.waitForTransactionReceipt({ hash })).status).toBe("success");
    expect(await devnet.balanceOf(payTo.address, token)).toBe(before + value);
  });
});
