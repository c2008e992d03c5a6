import { type Devnet, startDevnet } from "@x402kit/devnet";
import { erc20Abi } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withChainAccess } from "../src/exact/client/chainAccess.js";
import type { ClientEvmSigner } from "../src/exact/client/signer.js";
import { erc20PermitAbi, PERMIT2_ADDRESS } from "../src/permit2/index.js";

let devnet: Devnet;
beforeAll(async () => {
  devnet = await startDevnet();
}, 60_000);
afterAll(() => devnet?.stop());

// A signer with no chain reads (a bare wallet): every read comes from the rpcUrl backfill.
const bareSigner = (): ClientEvmSigner => ({
  address: devnet.accounts.payer.address,
  signTypedData: () => Promise.reject(new Error("not used")),
});

describe("withChainAccess: the JSON-RPC backfill from rpcUrl agrees with viem's public client", () => {
  it("allowance, nonces, pending transaction count and EIP-1559 fees", async () => {
    const access = withChainAccess(bareSigner(), { rpcUrl: devnet.rpcUrl }, 0);
    const owner = devnet.accounts.payer.address;
    const token = devnet.tokens.permit2Usd.address;
    // A non-zero allowance so a wrong decoding cannot pass as 0.
    const wallet = devnet.walletClient(devnet.accounts.payer);
    const hash = await wallet.writeContract({
      address: token,
      abi: erc20Abi,
      functionName: "approve",
      args: [PERMIT2_ADDRESS, 123_456_789n],
      chain: null,
    });
    await devnet.publicClient.waitForTransactionReceipt({ hash });

    const read = (functionName: "allowance" | "nonces", args: readonly `0x${string}`[]) =>
      access.readContract?.({ address: token, abi: erc20PermitAbi, functionName, args });
    expect(await read("allowance", [owner, PERMIT2_ADDRESS])).toBe(123_456_789n);
    expect(await read("nonces", [owner])).toBe(
      await devnet.publicClient.readContract({
        address: token,
        abi: erc20PermitAbi,
        functionName: "nonces",
        args: [owner],
      }),
    );
    expect(await access.getTransactionCount?.({ address: owner })).toBe(
      await devnet.publicClient.getTransactionCount({ address: owner, blockTag: "pending" }),
    );
    const fees = await access.estimateFeesPerGas?.();
    const viemFees = await devnet.publicClient.estimateFeesPerGas();
    expect(fees).toEqual({
      maxFeePerGas: viemFees.maxFeePerGas,
      maxPriorityFeePerGas: viemFees.maxPriorityFeePerGas,
    });
  });

  it("a read it does not serve and an RPC error are X402Errors", async () => {
    const access = withChainAccess(bareSigner(), { rpcUrl: devnet.rpcUrl }, 0);
    const token = devnet.tokens.permit2Usd.address;
    await expect(
      access.readContract?.({
        address: token,
        abi: erc20PermitAbi,
        functionName: "balanceOf",
        args: [token],
      }),
    ).rejects.toMatchObject({ name: "X402Error", code: "payment_creation_failed" });
    const broken = withChainAccess(bareSigner(), { rpcUrl: `${devnet.rpcUrl}/nowhere` }, 0);
    await expect(broken.getTransactionCount?.({ address: token })).rejects.toMatchObject({
      name: "X402Error",
    });
  });
});
