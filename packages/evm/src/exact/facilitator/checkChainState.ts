import { type CheckResult, fail } from "@x402kit/core";
import { decodeFunctionResult, encodeFunctionData } from "viem";
import { eip3009Abi } from "../../abi.js";
import { ExactEvmReason as R } from "../../reasons.js";
import type { CheckedPayment } from "./checkPayment.js";
import type { FacilitatorEvmSigner } from "./signer.js";

/** Remembers which assets have code, so the common case costs no `eth_getCode`. */
export class DeployedAssetCache {
  private readonly expiries = new Map<string, number>();
  constructor(private readonly ttlMs = 15 * 60_000) {}

  async hasCode(signer: FacilitatorEvmSigner, asset: `0x${string}`): Promise<boolean> {
    const key = asset.toLowerCase();
    if ((this.expiries.get(key) ?? 0) > Date.now()) return true;
    const code = await signer.getCode(asset);
    const deployed = !!code && code !== "0x";
    // Only positive answers are cached: a token may be deployed later, never undeployed.
    if (deployed) this.expiries.set(key, Date.now() + this.ttlMs);
    return deployed;
  }
}

/**
 * Chain state a settlement depends on, read in parallel: the asset is a contract, the
 * nonce is unused (`authorizationState`) and the payer holds at least `value`.
 *
 * @example
 * ```ts
 * const state = await checkChainState(signer, payment, new DeployedAssetCache());
 * ```
 */
export async function checkChainState(
  signer: FacilitatorEvmSigner,
  payment: CheckedPayment,
  assets: DeployedAssetCache,
): Promise<CheckResult> {
  const { asset, authorization: a } = payment;
  const [deployed, state, balance] = await Promise.all([
    assets.hasCode(signer, asset),
    signer.call({
      to: asset,
      data: encodeFunctionData({
        abi: eip3009Abi,
        functionName: "authorizationState",
        args: [a.from, a.nonce],
      }),
    }),
    signer.call({
      to: asset,
      data: encodeFunctionData({ abi: eip3009Abi, functionName: "balanceOf", args: [a.from] }),
    }),
  ]);
  if (!deployed) return fail(R.AssetNotDeployed, `no contract is deployed at asset ${asset}`);
  const used = state.ok ? decodeBool(state.data) : undefined;
  if (used === undefined)
    return fail(R.Eip3009NotSupported, `asset ${asset} does not implement authorizationState (EIP-3009)`);
  if (used) return fail(R.NonceAlreadyUsed, `nonce ${a.nonce} of ${a.from} was already used or cancelled`);
  const held = balance.ok ? decodeUint(balance.data) : undefined;
  if (held === undefined) return fail(R.Eip3009NotSupported, `asset ${asset} does not implement balanceOf`);
  if (held < payment.value)
    return fail(R.InsufficientBalance, `balance ${held} of ${a.from} is below ${payment.value}`);
  return { ok: true, value: undefined };
}

function decodeBool(data: `0x${string}`): boolean | undefined {
  try {
    return decodeFunctionResult({ abi: eip3009Abi, functionName: "authorizationState", data });
  } catch {
    return undefined;
  }
}

function decodeUint(data: `0x${string}`): bigint | undefined {
  try {
    return decodeFunctionResult({ abi: eip3009Abi, functionName: "balanceOf", data });
  } catch {
    return undefined;
  }
}
