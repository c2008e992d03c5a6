/**
 * The decisive check of our devnet Permit2 stand-ins: payloads made by the OFFICIAL @x402/evm 2.27
 * clients (which bind the canonical Permit2 and proxy addresses into the signature) settle through
 * our DevnetPermit2 and x402 proxies on anvil, directly and through the official facilitator schemes,
 * and our proxies expose every function, event and error of the official ABIs.
 */
import type { PaymentPayload, PaymentRequirements } from "@x402/core/types";
import {
  PERMIT2_ADDRESS as OFFICIAL_PERMIT2_ADDRESS,
  toClientEvmSigner,
  x402ExactPermit2ProxyABI,
  x402ExactPermit2ProxyAddress,
  x402UptoPermit2ProxyABI,
  x402UptoPermit2ProxyAddress,
} from "@x402/evm";
import { ExactEvmScheme as OfficialExactClient } from "@x402/evm/exact/client";
import { ExactEvmScheme as OfficialExactFacilitator } from "@x402/evm/exact/facilitator";
import { UptoEvmScheme as OfficialUptoClient } from "@x402/evm/upto/client";
import { UptoEvmScheme as OfficialUptoFacilitator } from "@x402/evm/upto/facilitator";
import {
  type DevAccount,
  type Devnet,
  PERMIT2_ADDRESS,
  startDevnet,
  X402_EXACT_PERMIT2_PROXY,
  X402_UPTO_PERMIT2_PROXY,
  x402ExactPermit2ProxyAbi,
  x402UptoPermit2ProxyAbi,
} from "@x402kit/devnet";
import { type Abi, type Address, type Hex, toFunctionSelector } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { formatAbiItem } from "viem/utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { officialEvmFacilitatorSigner } from "../src/officialSigner.js";

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet();
});
afterAll(async () => {
  await devnet?.stop();
});

interface Permit2Authorization {
  from: Address;
  permitted: { token: Address; amount: string };
  spender: Address;
  nonce: string;
  deadline: string;
  witness: { to: Address; validAfter: string; facilitator?: Address };
}

function officialClient(account: DevAccount) {
  return toClientEvmSigner(privateKeyToAccount(account.privateKey), devnet.publicClient as never);
}

const officialFacilitatorSigner = (account: DevAccount) => officialEvmFacilitatorSigner(devnet, account);

function requirements(
  scheme: "exact" | "upto",
  amount: bigint,
  extra: Record<string, unknown>,
): PaymentRequirements {
  const token = devnet.tokens.permit2Usd;
  return {
    scheme,
    network: devnet.network,
    amount: String(amount),
    asset: token.address,
    payTo: devnet.accounts.payTo.address,
    maxTimeoutSeconds: 300,
    extra: { assetTransferMethod: "permit2", name: token.name, version: token.version, ...extra },
  };
}

function freshPayer(): DevAccount {
  const privateKey = generatePrivateKey();
  return { address: privateKeyToAccount(privateKey).address, privateKey };
}

const keys = (abi: Abi) =>
  new Set(abi.filter((i) => i.type !== "constructor").map((i) => `${i.type} ${formatAbiItem(i as never)}`));

describe("our proxies have the official interface", () => {
  it("every function, event and error of the official ABIs, and the canonical addresses", () => {
    for (const [official, ours] of [
      [x402ExactPermit2ProxyABI, x402ExactPermit2ProxyAbi],
      [x402UptoPermit2ProxyABI, x402UptoPermit2ProxyAbi],
    ] as const) {
      const mine = keys(ours as Abi);
      expect([...keys(official as Abi)].filter((k) => !mine.has(k))).toEqual([]);
    }
    expect(X402_EXACT_PERMIT2_PROXY).toBe(x402ExactPermit2ProxyAddress);
    expect(X402_UPTO_PERMIT2_PROXY).toBe(x402UptoPermit2ProxyAddress);
    expect(PERMIT2_ADDRESS).toBe(OFFICIAL_PERMIT2_ADDRESS);
    const settle = x402ExactPermit2ProxyAbi.find((i) => i.type === "function" && i.name === "settle");
    expect(settle && toFunctionSelector(formatAbiItem(settle))).toBe("0x13cd3b53");
  });
});

describe("a Permit2 payload signed by the official exact client", () => {
  it("settles through our exact proxy and DevnetPermit2", async () => {
    const { payer, payTo, facilitator } = devnet.accounts;
    const token = devnet.tokens.permit2Usd.address;
    await devnet.approvePermit2(payer, token);
    const result = await new OfficialExactClient(officialClient(payer)).createPaymentPayload(
      2,
      requirements("exact", 10_000n, {}),
    );
    const { signature, permit2Authorization: auth } = result.payload as {
      signature: Hex;
      permit2Authorization: Permit2Authorization;
    };
    expect(auth.spender).toBe(X402_EXACT_PERMIT2_PROXY);

    const before = await devnet.balanceOf(payTo.address, token);
    const hash = await devnet.walletClient(facilitator).writeContract({
      address: X402_EXACT_PERMIT2_PROXY,
      abi: x402ExactPermit2ProxyAbi,
      functionName: "settle",
      args: [
        {
          permitted: { token: auth.permitted.token, amount: BigInt(auth.permitted.amount) },
          nonce: BigInt(auth.nonce),
          deadline: BigInt(auth.deadline),
        },
        auth.from,
        { to: auth.witness.to, validAfter: BigInt(auth.witness.validAfter) },
        signature,
      ],
    });
    expect((await devnet.publicClient.waitForTransactionReceipt({ hash })).status).toBe("success");
    expect(await devnet.balanceOf(payTo.address, token)).toBe(before + 10_000n);
  });

  it("is verified and settled by the official facilitator on our contracts; a replay is refused", async () => {
    const { payer } = devnet.accounts;
    const reqs = requirements("exact", 7_000n, {});
    const client = new OfficialExactClient(officialClient(payer));
    const result = await client.createPaymentPayload(2, reqs);
    const payload: PaymentPayload = { x402Version: 2, accepted: reqs, payload: result.payload };
    const facilitator = new OfficialExactFacilitator(officialFacilitatorSigner(devnet.accounts.facilitator));

    expect(await facilitator.verify(payload, reqs)).toMatchObject({ isValid: true, payer: payer.address });
    const settled = await facilitator.settle(payload, reqs);
    expect(settled).toMatchObject({ success: true, payer: payer.address });
    const again = await facilitator.settle(payload, reqs);
    // The official facilitator decodes only the proxy's errors, so Permit2's InvalidNonce() arrives as
    // its raw selector, 0x756688fe: the same selector as the canonical Permit2's, as on a real chain.
    expect(again).toMatchObject({ success: false });
    expect(again.errorReason).toMatch(/^invalid_exact_evm_transaction_failed: .*0x756688fe/s);
    expect(await facilitator.verify(payload, reqs)).toMatchObject({
      isValid: false,
      invalidReason: "permit2_simulation_failed",
    });
  });

  it("with eip2612GasSponsoring: a payer with no allowance and no ETH pays via settleWithPermit", async () => {
    const payer = freshPayer();
    const token = devnet.tokens.permit2Usd.address;
    await devnet.mint(payer.address, 100_000n, token);
    const reqs = requirements("exact", 25_000n, {});
    const extensions = { eip2612GasSponsoring: { info: { description: "devnet", version: "1" } } };
    const result = await new OfficialExactClient(officialClient(payer)).createPaymentPayload(2, reqs, {
      extensions,
    });
    expect(result.extensions?.eip2612GasSponsoring).toBeDefined();

    const payload: PaymentPayload = {
      x402Version: 2,
      accepted: reqs,
      payload: result.payload,
      extensions: result.extensions,
    };
    const facilitator = new OfficialExactFacilitator(officialFacilitatorSigner(devnet.accounts.facilitator));
    expect(await facilitator.verify(payload, reqs)).toMatchObject({ isValid: true });
    expect(await facilitator.settle(payload, reqs)).toMatchObject({ success: true });
    expect(await devnet.balanceOf(payer.address, token)).toBe(75_000n);
    expect(await devnet.publicClient.getBalance({ address: payer.address })).toBe(0n);
  });
});

describe("a Permit2 payload signed by the official upto client", () => {
  it("settles less than the maximum through our upto proxy, by the official facilitator", async () => {
    const { payer, payTo, facilitator } = devnet.accounts;
    const token = devnet.tokens.permit2Usd.address;
    await devnet.approvePermit2(payer, token);
    const max = requirements("upto", 50_000n, { facilitatorAddress: facilitator.address });
    const result = await new OfficialUptoClient(officialClient(payer)).createPaymentPayload(2, max);
    const auth = (result.payload as { permit2Authorization: Permit2Authorization }).permit2Authorization;
    expect(auth.spender).toBe(X402_UPTO_PERMIT2_PROXY);
    expect(auth.witness.facilitator).toBe(facilitator.address);

    const payload: PaymentPayload = { x402Version: 2, accepted: max, payload: result.payload };
    const scheme = new OfficialUptoFacilitator(officialFacilitatorSigner(facilitator));
    expect(await scheme.verify(payload, max)).toMatchObject({ isValid: true });
    const before = await devnet.balanceOf(payTo.address, token);
    const settled = await scheme.settle(payload, { ...max, amount: "12345" });
    expect(settled).toMatchObject({ success: true, amount: "12345" });
    expect(await devnet.balanceOf(payTo.address, token)).toBe(before + 12_345n);
  });
});
