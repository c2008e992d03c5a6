import { decodeFunctionData, encodeAbiParameters, toFunctionSelector } from "viem";
import { eip3009Abi, MULTICALL3_ADDRESS } from "../src/abi.js";
import type { EvmCallResult, EvmReceipt, FacilitatorEvmSigner } from "../src/exact/facilitator/index.js";
import { BroadcastUncertainError } from "../src/exact/facilitator/index.js";

const SELECTORS = {
  authorizationState: toFunctionSelector("authorizationState(address,bytes32)"),
  balanceOf: toFunctionSelector("balanceOf(address)"),
  name: toFunctionSelector("name()"),
  version: toFunctionSelector("version()"),
};

/** State of the fake chain; tests flip these to steer verify/settle. */
export interface FakeChain {
  chainId: number;
  assetCode: boolean;
  nonceUsed: boolean;
  balance: bigint;
  tokenName: string;
  tokenVersion: string;
  simulationRevert?: string;
  sendError?: string;
  /** Broadcast, then fail in transit (the node took the transaction, the answer was lost). */
  lostInTransit?: boolean;
  receipt: () => Promise<EvmReceipt>;
  sent: Array<{ to: string; data: string }>;
  failRpc?: boolean;
  /** Treat the payer as a smart wallet (code at `from`) that answers ERC-1271 with this. */
  wallet?: { accepts: boolean };
}

/** An in-memory {@link FacilitatorEvmSigner} whose answers come from a {@link FakeChain}. */
export function fakeSigner(chain: FakeChain): FacilitatorEvmSigner {
  const rpc = () => {
    if (chain.failRpc) throw new Error("connection refused");
  };
  return {
    address: "0x1000000000000000000000000000000000000001",
    chainId: chain.chainId,
    async getCode(address) {
      rpc();
      if (address.toLowerCase().startsWith("0x0a55e7")) return chain.assetCode ? "0x6080" : undefined;
      if (address.toLowerCase() === MULTICALL3_ADDRESS.toLowerCase()) return undefined;
      return chain.wallet ? "0xef0100" : undefined;
    },
    async call({ data }): Promise<EvmCallResult> {
      rpc();
      const selector = data.slice(0, 10);
      if (selector === "0x1626ba7e") {
        const magic = chain.wallet?.accepts ? "0x1626ba7e" : "0xffffffff";
        return { ok: true, data: encodeAbiParameters([{ type: "bytes4" }], [magic]) };
      }
      if (selector === SELECTORS.authorizationState)
        return { ok: true, data: encodeAbiParameters([{ type: "bool" }], [chain.nonceUsed]) };
      if (selector === SELECTORS.balanceOf)
        return { ok: true, data: encodeAbiParameters([{ type: "uint256" }], [chain.balance]) };
      if (selector === SELECTORS.name)
        return { ok: true, data: encodeAbiParameters([{ type: "string" }], [chain.tokenName]) };
      if (selector === SELECTORS.version)
        return { ok: true, data: encodeAbiParameters([{ type: "string" }], [chain.tokenVersion]) };
      // transferWithAuthorization: the token's own checks, as a FiatToken-style revert text.
      const transfer = decodeFunctionData({ abi: eip3009Abi, data });
      const value = transfer.functionName === "transferWithAuthorization" ? transfer.args[2] : 0n;
      if (chain.nonceUsed) return { ok: false, revert: "FiatTokenV2: authorization is used or canceled" };
      if (chain.wallet && !chain.wallet.accepts)
        return { ok: false, revert: "FiatTokenV2: invalid signature" };
      if (chain.balance < value) return { ok: false, revert: "ERC20: transfer amount exceeds balance" };
      return chain.simulationRevert
        ? { ok: false, revert: chain.simulationRevert }
        : { ok: true, data: "0x" };
    },
    async sendTransaction(request) {
      rpc();
      if (chain.sendError) throw new Error(chain.sendError);
      chain.sent.push(request);
      const hash = `0x${String(chain.sent.length).padStart(64, "0")}` as const;
      if (chain.lostInTransit)
        throw new BroadcastUncertainError(hash, { cause: new Error("socket hang up") });
      return hash;
    },
    waitForTransactionReceipt: () => chain.receipt(),
  };
}
