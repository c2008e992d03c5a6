import { ExactEvmScheme as OfficialExactEvmScheme } from "@x402/evm/exact/facilitator";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import {
  type Devnet,
  SMART_WALLET_FACTORY_ADDRESS,
  smartWalletFactoryCalldata,
  startDevnet,
  wrapErc6492,
} from "@x402kit/devnet";
import { ExactEvmReason as R, transferWithAuthorizationTypedData } from "@x402kit/evm";
import { ExactEvmScheme } from "@x402kit/evm/exact/facilitator";
import type { Address, Hex } from "viem";
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { officialEvmFacilitatorSigner } from "../src/officialSigner.js";

// Smart-wallet payers on anvil: a deployed ERC-1271 wallet and a counterfactual ERC-6492 one
// (the devnet's DevnetSmartWallet and its CREATE2 factory), verified and settled by our
// facilitator scheme; refusals compared with the official @x402/evm 2.27 facilitator's.
const PRICE = 10_000n;

let devnet: Devnet;
let ours: ExactEvmScheme;
let official: OfficialExactEvmScheme;
let requirements: PaymentRequirements;

beforeAll(async () => {
  devnet = await startDevnet();
  ours = new ExactEvmScheme(
    { walletClient: devnet.walletClient(devnet.accounts.facilitator) },
    { eip6492AllowedFactories: [SMART_WALLET_FACTORY_ADDRESS], receiptTimeoutMs: 10_000 },
  );
  official = new OfficialExactEvmScheme(officialEvmFacilitatorSigner(devnet, devnet.accounts.other), {
    eip6492AllowedFactories: [SMART_WALLET_FACTORY_ADDRESS],
  });
  requirements = {
    scheme: "exact",
    network: devnet.network,
    amount: String(PRICE),
    asset: devnet.usdc.address,
    payTo: devnet.accounts.payTo.address,
    maxTimeoutSeconds: 300,
    extra: { name: devnet.usdc.name, version: devnet.usdc.version },
  };
});

afterAll(async () => {
  await devnet?.stop();
});

/** A payment from `wallet` whose EIP-712 digest `signer` signs (the wallet's owner, or not). */
async function walletPayment(
  wallet: Address,
  signer: PrivateKeyAccount,
  wrap: (signature: Hex) => Hex = (signature) => signature,
): Promise<PaymentPayload> {
  const nonce = generatePrivateKey();
  const validBefore = BigInt(Math.floor(Date.now() / 1000) + 300);
  const message = {
    from: wallet,
    to: requirements.payTo as Address,
    value: PRICE,
    validAfter: 0n,
    validBefore,
    nonce,
  };
  const domain = { ...devnet.usdc.domain };
  const signature = await signer.signTypedData(transferWithAuthorizationTypedData(domain, message));
  return {
    x402Version: 2,
    accepted: requirements,
    resource: { url: "http://shop.test/item", description: "", mimeType: "application/json" },
    payload: {
      signature: wrap(signature),
      authorization: { ...message, value: String(PRICE), validAfter: "0", validBefore: String(validBefore) },
    },
  } as PaymentPayload;
}

const officialVerify = (payload: PaymentPayload) => official.verify(payload as never, requirements as never);

describe("smart-wallet payers (ERC-1271, ERC-6492)", () => {
  it("a deployed ERC-1271 wallet's payment verifies and settles; balances move exactly", async () => {
    const owner = privateKeyToAccount(generatePrivateKey());
    const wallet = await devnet.deploySmartWallet(owner.address, 1n);
    await devnet.mint(wallet, PRICE * 3n);
    const payment = await walletPayment(wallet, owner);
    expect(await ours.verify(payment, requirements)).toEqual({ isValid: true, payer: wallet });
    expect((await officialVerify(payment)).isValid).toBe(true);
    const [walletBefore, payToBefore] = await Promise.all([
      devnet.balanceOf(wallet),
      devnet.balanceOf(devnet.accounts.payTo.address),
    ]);
    const settled = await ours.settle(payment, requirements);
    expect(settled).toMatchObject({ success: true, payer: wallet, amount: String(PRICE) });
    expect(await devnet.balanceOf(wallet)).toBe(walletBefore - PRICE);
    expect(await devnet.balanceOf(devnet.accounts.payTo.address)).toBe(payToBefore + PRICE);
  });

  it("a deployed wallet's payment signed by another key is refused as the official facilitator refuses it", async () => {
    const owner = privateKeyToAccount(generatePrivateKey());
    const wallet = await devnet.deploySmartWallet(owner.address, 2n);
    await devnet.mint(wallet, PRICE);
    const forged = await walletPayment(wallet, privateKeyToAccount(generatePrivateKey()));
    const [mine, theirs] = await Promise.all([ours.verify(forged, requirements), officialVerify(forged)]);
    expect(mine).toMatchObject({ isValid: false, invalidReason: R.Signature, payer: wallet });
    expect(theirs.invalidReason).toBe(mine.invalidReason);
    expect((await ours.settle(forged, requirements)).errorReason).toBe(R.Signature);
    expect(await devnet.balanceOf(wallet)).toBe(PRICE);
  });

  it("a counterfactual ERC-6492 wallet's payment verifies without deploying, then settles by deploying it first", async () => {
    const owner = privateKeyToAccount(generatePrivateKey());
    const wallet = devnet.smartWalletAddress(owner.address, 3n);
    await devnet.mint(wallet, PRICE * 2n);
    const calldata = smartWalletFactoryCalldata(owner.address, 3n);
    const payment = await walletPayment(wallet, owner, (s) =>
      wrapErc6492(SMART_WALLET_FACTORY_ADDRESS, calldata, s),
    );
    expect(await ours.verify(payment, requirements)).toEqual({ isValid: true, payer: wallet });
    expect((await officialVerify(payment)).isValid).toBe(true);
    expect(await devnet.publicClient.getCode({ address: wallet })).toBeUndefined(); // verify deployed nothing
    const payToBefore = await devnet.balanceOf(devnet.accounts.payTo.address);
    const settled = await ours.settle(payment, requirements);
    expect(settled).toMatchObject({ success: true, payer: wallet, amount: String(PRICE) });
    expect(await devnet.publicClient.getCode({ address: wallet })).toMatch(/^0x[0-9a-f]{10,}/);
    expect(await devnet.balanceOf(wallet)).toBe(PRICE);
    expect(await devnet.balanceOf(devnet.accounts.payTo.address)).toBe(payToBefore + PRICE);
  });

  it("a counterfactual wallet's payment signed by another key is refused as the official facilitator refuses it, deploying nothing", async () => {
    const owner = privateKeyToAccount(generatePrivateKey());
    const wallet = devnet.smartWalletAddress(owner.address, 4n);
    await devnet.mint(wallet, PRICE);
    const calldata = smartWalletFactoryCalldata(owner.address, 4n);
    const forged = await walletPayment(wallet, privateKeyToAccount(generatePrivateKey()), (s) =>
      wrapErc6492(SMART_WALLET_FACTORY_ADDRESS, calldata, s),
    );
    const [mine, theirs] = await Promise.all([ours.verify(forged, requirements), officialVerify(forged)]);
    expect(mine.isValid).toBe(false);
    expect(mine.invalidReason).toBe(theirs.invalidReason);
    const settled = await ours.settle(forged, requirements);
    expect(settled.success).toBe(false);
    expect(await devnet.publicClient.getCode({ address: wallet })).toBeUndefined();
    expect(await devnet.balanceOf(wallet)).toBe(PRICE);
  });

  it("a counterfactual wallet of a factory not allowed is refused before any simulation", async () => {
    const strict = new ExactEvmScheme({ walletClient: devnet.walletClient(devnet.accounts.facilitator) });
    const owner = privateKeyToAccount(generatePrivateKey());
    const wallet = devnet.smartWalletAddress(owner.address, 5n);
    const calldata = smartWalletFactoryCalldata(owner.address, 5n);
    const payment = await walletPayment(wallet, owner, (s) =>
      wrapErc6492(SMART_WALLET_FACTORY_ADDRESS, calldata, s),
    );
    expect((await strict.verify(payment, requirements)).invalidReason).toBe(R.Eip6492FactoryNotAllowed);
  });
});
