import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import { encodeErrorResult, parseAbi } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { beforeEach, describe, expect, it } from "vitest";
import { ExactEvmScheme } from "../src/exact/facilitator/index.js";
import { ExactEvmReason as R } from "../src/index.js";
import { wrapErc6492Signature } from "../src/signature/index.js";
import { type FakeChain, fakeSigner } from "./fakeSigner.js";
import { signPayment, withInner } from "./helpers.js";

// The fake chain is a TEST DOUBLE of an EIP-3009 token's RPC answers; the facilitator's checks are under test.
const payer = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
const ASSET = "0x0a55e70000000000000000000000000000000001";
const BASE_USDC = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913";
const requirements: PaymentRequirements = {
  scheme: "exact",
  network: "eip155:31337",
  amount: "10000",
  asset: ASSET,
  payTo: "0x209693Bc6afc0C5328bA36FaF03C514EF312287C",
  maxTimeoutSeconds: 300,
  extra: { name: "USD Coin", version: "2" },
};

let chain: FakeChain;
let rpcCalls: string[];

/** The fake chain's signer (on `chainId`), counting every RPC read it answers. */
function countingSigner(chainId = 31337) {
  chain.chainId = chainId;
  const signer = fakeSigner(chain);
  return {
    ...signer,
    getCode: (address: `0x${string}`) => {
      rpcCalls.push("getCode");
      return signer.getCode(address);
    },
    call: (request: { to: `0x${string}`; data: `0x${string}` }) => {
      rpcCalls.push(`call:${request.data.slice(0, 10)}`);
      return signer.call(request);
    },
  };
}

beforeEach(() => {
  rpcCalls = [];
  chain = {
    chainId: 31337,
    assetCode: true,
    nonceUsed: false,
    balance: 10n ** 12n,
    tokenName: "USD Coin",
    tokenVersion: "2",
    receipt: async () => ({ status: "success", logs: [] }),
    sent: [],
  };
});

describe("verification hardening (fake chain)", () => {
  it("costs one RPC call for an EOA payment once the asset's code is cached (the simulation)", async () => {
    const facilitator = new ExactEvmScheme(countingSigner());
    expect((await facilitator.verify(await signPayment(payer, requirements), requirements)).isValid).toBe(
      true,
    );
    rpcCalls = [];
    expect((await facilitator.verify(await signPayment(payer, requirements), requirements)).isValid).toBe(
      true,
    );
    expect(rpcCalls).toEqual(["call:0xe3ee160e"]);
  });

  it("refuses an exact payment of 0 without any chain call", async () => {
    const facilitator = new ExactEvmScheme(countingSigner());
    const free = { ...requirements, amount: "0" };
    const result = await facilitator.verify(await signPayment(payer, free), free);
    expect(result).toMatchObject({ isValid: false, invalidReason: R.AuthorizationValue });
    const settled = await facilitator.settle(await signPayment(payer, free), free);
    expect(settled).toMatchObject({ success: false, errorReason: R.AuthorizationValue });
    expect(rpcCalls).toEqual([]);
    expect(chain.sent).toEqual([]);
  });

  it("answers a payload reason for a from with a broken EIP-55 checksum", async () => {
    const facilitator = new ExactEvmScheme(countingSigner());
    const payment = await signPayment(payer, requirements);
    const broken = withInner(payment, (p) => {
      const authorization = p.authorization as { from: string };
      const flipped = authorization.from.replace(/[a-f]/, (c) => c.toUpperCase());
      return { ...p, authorization: { ...authorization, from: flipped } };
    });
    const result = await facilitator.verify(broken, requirements);
    expect(result.invalidReason).toBe(R.InvalidPayload);
    expect(result.invalidMessage).toMatch(/checksum/);
  });

  it("refuses a token outside the allow-list before any chain call; the known stablecoin and configured ones pass", async () => {
    const onBase = { ...requirements, network: "eip155:8453" };
    const strict = new ExactEvmScheme(countingSigner(8453));
    const other = await strict.verify(await signPayment(payer, onBase), onBase);
    expect(other.invalidReason).toBe(R.AssetNotAllowed);
    expect(rpcCalls).toEqual([]);
    const usdc = { ...onBase, asset: BASE_USDC };
    const known = await strict.verify(await signPayment(payer, usdc), usdc);
    expect(known.invalidReason).not.toBe(R.AssetNotAllowed);
    const configured = new ExactEvmScheme(countingSigner(8453), { allowedAssets: [ASSET.toUpperCase()] });
    expect((await configured.verify(await signPayment(payer, onBase), onBase)).isValid).toBe(true);
    const open = new ExactEvmScheme(countingSigner(8453), { allowedAssets: "any" });
    expect((await open.verify(await signPayment(payer, onBase), onBase)).isValid).toBe(true);
  });

  it("decodes a token's custom error at simulation and at gas estimation", async () => {
    const error = encodeErrorResult({
      abi: parseAbi(["error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)"]),
      errorName: "ERC20InsufficientBalance",
      args: [payer.address, 5n, 10_000n],
    });
    chain.simulationRevert = `execution reverted — data: ${error}`;
    const facilitator = new ExactEvmScheme(fakeSigner(chain), { receiptTimeoutMs: 50 });
    const verified = await facilitator.verify(await signPayment(payer, requirements), requirements);
    expect(verified.invalidReason).toBe(R.InsufficientBalance);
    expect(verified.invalidMessage).toMatch(/ERC20InsufficientBalance/);
    chain.simulationRevert = undefined;
    chain.sendError = `Execution reverted with reason: custom error ${error.slice(0, 10)}: ${error}`;
    const settled = await facilitator.settle(await signPayment(payer, requirements), requirements);
    expect(settled).toMatchObject({ success: false, errorReason: R.InsufficientBalance });
  });

  it("refuses a counterfactual wallet whose factory is not allowed", async () => {
    const payment = await signPayment(payer, requirements);
    const wrapped = withInner(payment, (p) => ({
      ...p,
      signature: wrapErc6492Signature({
        factory: "0x00000000000000000000000000000000000fac70",
        factoryCalldata: "0x12345678",
        innerSignature: p.signature as `0x${string}`,
      }),
    }));
    const facilitator = new ExactEvmScheme(fakeSigner(chain));
    expect((await facilitator.verify(wrapped as PaymentPayload, requirements)).invalidReason).toBe(
      R.Eip6492FactoryNotAllowed,
    );
  });
});
