import { encodeFunctionData, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { gasSponsoringFor } from "../../src/exact/client/gasSponsoring.js";
import type { ClientEvmSigner } from "../../src/exact/client/signer.js";
import {
  checkEip2612PermitForPayment,
  checkErc20ApprovalForPayment,
  declareEip2612GasSponsoringExtension,
  declareErc20ApprovalGasSponsoringExtension,
  extractEip2612GasSponsoringInfo,
  extractErc20ApprovalGasSponsoringInfo,
} from "../../src/gasSponsoring/index.js";
import { erc20PermitAbi, MAX_UINT256, PERMIT2_ADDRESS, Permit2Reason as R } from "../../src/permit2/index.js";

const CHAIN_ID = 31337;
const TOKEN = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
const payer = privateKeyToAccount(generatePrivateKey());
const now = 1_800_000_000;
const payment = {
  payer: payer.address,
  token: TOKEN,
  amount: 10000n,
  chainId: CHAIN_ID,
  nowSeconds: now,
} as const;
const permit2Payment = {
  signature: "0x12",
  permit2Authorization: {
    from: payer.address,
    permitted: { token: TOKEN, amount: "10000" },
    spender: "0x402085c248EeA27D92E8b30b2C58ed07f9E20001",
    nonce: "1",
    deadline: String(now + 300),
    witness: { to: TOKEN, validAfter: "0" },
  },
} as const;

/** A test double of a wallet with chain reads: allowance and EIP-2612 nonce answered from constants. */
function walletDouble(allowance: bigint): ClientEvmSigner {
  return {
    address: payer.address,
    signTypedData: (typedData) => payer.signTypedData(typedData as never),
    signTransaction: (tx) => payer.signTransaction({ ...tx, type: "eip1559" }),
    readContract: async ({ functionName }) => (functionName === "allowance" ? allowance : 7n),
    getTransactionCount: async () => 3,
    estimateFeesPerGas: async () => ({ maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1_000_000n }),
  };
}

const request = (
  advertised: Record<string, unknown>,
  extra: Record<string, unknown> = { name: "Permit2 USD", version: "1" },
) => ({
  chainId: CHAIN_ID,
  asset: TOKEN as `0x${string}`,
  extra,
  advertised,
  payment: permit2Payment as never,
});

describe("client gas sponsoring", () => {
  it("adds nothing when Permit2 may already move the amount", async () => {
    expect(
      await gasSponsoringFor(walletDouble(10000n), request(declareEip2612GasSponsoringExtension())),
    ).toBeUndefined();
  });

  it("signs an EIP-2612 permit for Permit2 of exactly the amount, until the Permit2 deadline", async () => {
    const extensions = await gasSponsoringFor(
      walletDouble(0n),
      request(declareEip2612GasSponsoringExtension()),
    );
    const info = extractEip2612GasSponsoringInfo({ extensions });
    expect(info).toMatchObject({
      from: payer.address,
      spender: PERMIT2_ADDRESS,
      amount: "10000",
      nonce: "7",
      deadline: String(now + 300),
      version: "1",
    });
    expect(checkEip2612PermitForPayment(info as never, payment)).toEqual({ ok: true, value: undefined });
  });

  it("signs approve(Permit2, max) when the token's domain is unknown and approval sponsoring is offered", async () => {
    const both = {
      ...declareEip2612GasSponsoringExtension(),
      ...declareErc20ApprovalGasSponsoringExtension(),
    };
    const extensions = await gasSponsoringFor(walletDouble(0n), request(both, {}));
    const info = extractErc20ApprovalGasSponsoringInfo({ extensions });
    expect(info).toMatchObject({
      from: payer.address,
      spender: PERMIT2_ADDRESS,
      amount: MAX_UINT256.toString(),
    });
    const checked = await checkErc20ApprovalForPayment(info as never, payment);
    expect(checked).toMatchObject({
      ok: true,
      value: { nonce: 3, gas: 70000n, maxFeePerGas: 2_000_000_000n },
    });
  });
});

describe("facilitator checks of eip2612GasSponsoring.info (official order)", () => {
  const signature = `0x${"ab".repeat(65)}`;
  const info = {
    from: payer.address,
    asset: TOKEN,
    spender: PERMIT2_ADDRESS,
    amount: "10000",
    nonce: "0",
    deadline: String(now + 60),
    signature,
    version: "1",
  };
  it.each([
    [{ signature: "0x1234" }, R.Eip2612InvalidFormat],
    [{ amount: "-1" }, R.Eip2612InvalidFormat],
    [{ from: TOKEN }, R.Eip2612FromMismatch],
    [{ asset: payer.address }, R.Eip2612AssetMismatch],
    [{ spender: TOKEN }, R.Eip2612SpenderNotPermit2],
    [{ deadline: String(now + 5) }, R.Eip2612DeadlineExpired],
    [{ amount: "10001" }, R.Permit2612AmountMismatch],
    [{ from: TOKEN, spender: TOKEN }, R.Eip2612FromMismatch],
    [{ deadline: "9".repeat(90) }, R.Eip2612InvalidFormat],
    [{ deadline: (2n ** 256n).toString() }, R.Eip2612InvalidFormat],
  ])("%j → %s", (change, reason) => {
    const result = checkEip2612PermitForPayment({ ...info, ...change }, payment);
    expect(result.ok ? undefined : result.reason).toBe(reason);
  });
});

describe("facilitator checks of erc20ApprovalGasSponsoring.info (official order, then bounds)", () => {
  const approve = (spender: `0x${string}` = PERMIT2_ADDRESS) =>
    encodeFunctionData({ abi: erc20PermitAbi, functionName: "approve", args: [spender, MAX_UINT256] });
  const sign = (change: Record<string, unknown> = {}, account = payer) =>
    account.signTransaction({
      type: "eip1559",
      chainId: CHAIN_ID,
      to: TOKEN,
      data: approve(),
      nonce: 0,
      gas: 70_000n,
      maxFeePerGas: 1_000_000_000n,
      maxPriorityFeePerGas: 1n,
      ...change,
    } as never);
  const info = async (tx: Promise<`0x${string}`> | `0x${string}`, change: Record<string, unknown> = {}) => ({
    from: payer.address,
    asset: TOKEN as `0x${string}`,
    spender: PERMIT2_ADDRESS as `0x${string}`,
    amount: MAX_UINT256.toString(),
    signedTransaction: await tx,
    version: "1",
    ...change,
  });
  const reason = async (i: Promise<Record<string, unknown>>) => {
    const result = await checkErc20ApprovalForPayment((await i) as never, payment);
    return result.ok ? undefined : result.reason;
  };

  it("accepts the client's approval", async () => expect(await reason(info(sign()))).toBeUndefined());
  it.each([
    ["malformed info", () => info(sign(), { signedTransaction: "nope" }), R.Erc20ApprovalInvalidFormat],
    ["another from", () => info(sign(), { from: TOKEN }), R.Erc20ApprovalFromMismatch],
    ["another asset", () => info(sign(), { asset: payer.address }), R.Erc20ApprovalAssetMismatch],
    ["another spender", () => info(sign(), { spender: TOKEN }), R.Erc20ApprovalSpenderNotPermit2],
    ["unparseable tx", () => info("0x02abcdef"), R.Erc20ApprovalTxParseFailed],
    ["wrong target", () => info(sign({ to: payer.address })), R.Erc20ApprovalTxWrongTarget],
    ["wrong selector", () => info(sign({ data: "0xa9059cbb" })), R.Erc20ApprovalTxWrongSelector],
    ["bad calldata", () => info(sign({ data: "0x095ea7b3ff" })), R.Erc20ApprovalTxInvalidCalldata],
    ["approves someone else", () => info(sign({ data: approve(TOKEN) })), R.Erc20ApprovalTxWrongSpender],
    [
      "signed by another key",
      () => info(sign({}, privateKeyToAccount(generatePrivateKey()))),
      R.Erc20ApprovalTxSignerMismatch,
    ],
    ["another chain", () => info(sign({ chainId: 1 })), R.Erc20ApprovalInvalidFormat],
    ["moves ETH", () => info(sign({ value: parseEther("1") })), R.Erc20ApprovalInvalidFormat],
    ["unbounded gas", () => info(sign({ gas: 5_000_000n })), R.Erc20ApprovalInvalidFormat],
    [
      "approves less than the permitted amount",
      () =>
        info(
          sign({
            data: encodeFunctionData({
              abi: erc20PermitAbi,
              functionName: "approve",
              args: [PERMIT2_ADDRESS, 9999n],
            }),
          }),
          { amount: "9999" },
        ),
      R.Erc20ApprovalTxInvalidCalldata,
    ],
    [
      "info.amount differs from the approval",
      () => info(sign(), { amount: "10000" }),
      R.Erc20ApprovalTxInvalidCalldata,
    ],
    [
      "an EIP-7702 (type 4) transaction",
      () =>
        info(
          sign({
            type: "eip7702",
            authorizationList: [
              {
                chainId: CHAIN_ID,
                address: TOKEN,
                nonce: 1,
                r: `0x${"11".repeat(32)}`,
                s: `0x${"22".repeat(32)}`,
                yParity: 0,
              },
            ],
          }),
        ),
      R.Erc20ApprovalTxParseFailed,
    ],
    [
      "an EIP-2930 (type 1) transaction",
      () =>
        info(
          sign({
            type: "eip2930",
            gasPrice: 1_000_000_000n,
            maxFeePerGas: undefined,
            maxPriorityFeePerGas: undefined,
          }),
        ),
      R.Erc20ApprovalTxParseFailed,
    ],
  ])("%s", async (_name, make, expected) => {
    expect(await reason(make())).toBe(expected);
  });
});
