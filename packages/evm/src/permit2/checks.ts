import { type CheckFailure, type CheckResult, fail } from "@x402kit/core";
import { decodeErrorResult, decodeFunctionResult, encodeFunctionData, getAddress } from "viem";
import { ERC1271_MAGIC_VALUE, erc1271Abi } from "../abi.js";
import type { FacilitatorEvmSigner } from "../exact/facilitator/signer.js";
import { permitWitnessTransferFromDigest } from "../signature/permit2Digest.js";
import { recoverDigestSigner } from "../signature/recoverSigner.js";
import { erc20PermitAbi, permit2ErrorsAbi, x402ExactPermit2ProxyABI } from "./abi.js";
import {
  PERMIT2_ADDRESS,
  PERMIT2_DEADLINE_BUFFER_SECONDS,
  x402ExactPermit2ProxyAddress,
} from "./constants.js";
import { EXACT_PERMIT2_WITNESS, type Permit2Authorization, type Permit2WitnessShape } from "./payload.js";
import { Permit2Reason as R } from "./reasons.js";
import { type Permit2WitnessTypes, permit2WitnessTypedData, permit2WitnessTypes } from "./typedData.js";

/**
 * What distinguishes the Permit2 proxies (exact, upto) for the shared checks: the `spender`
 * the payer must have signed, the proxy's ABI (for the `PERMIT2()` deployment probe) and its
 * witness (EIP-712 types and payload shape).
 *
 * @example
 * ```ts
 * const upto: Permit2ProxyConfig = { proxy: x402UptoPermit2ProxyAddress, proxyAbi: x402UptoPermit2ProxyABI, witnessTypes: uptoPermit2WitnessTypes, witnessShape: { addresses: ["to", "facilitator"], uints: ["validAfter"] } };
 * ```
 */
export interface Permit2ProxyConfig {
  proxy: `0x${string}`;
  proxyAbi: readonly unknown[];
  witnessTypes: Permit2WitnessTypes;
  witnessShape: Permit2WitnessShape;
}

/**
 * The exact proxy's {@link Permit2ProxyConfig}.
 *
 * @example
 * ```ts
 * checkPermit2Authorization(auth, requirements, { config: exactPermit2ProxyConfig, nowSeconds });
 * ```
 */
export const exactPermit2ProxyConfig: Permit2ProxyConfig = {
  proxy: x402ExactPermit2ProxyAddress,
  proxyAbi: x402ExactPermit2ProxyABI,
  witnessTypes: permit2WitnessTypes,
  witnessShape: EXACT_PERMIT2_WITNESS,
};

/** The requirement fields the Permit2 checks compare against. */
export interface Permit2Requirements {
  asset: string;
  payTo: string;
  amount: string;
}

/**
 * Steps 4–9 of the official Permit2 verify, in its order, with no chain access: spender is
 * the proxy (`invalid_permit2_spender`), `witness.to` is `payTo`
 * (`invalid_permit2_recipient_mismatch`), the deadline is at least 6 s away
 * (`permit2_deadline_expired`), `validAfter` has passed (`permit2_not_yet_valid`), the amount
 * (`permit2_amount_mismatch`; equality unless `checkAmount` says otherwise, e.g. upto's
 * "at most") and the token (`permit2_token_mismatch`). Expects a payload that passed
 * {@link describePermit2PayloadProblem} and addresses that passed the requirement checks.
 *
 * @example
 * ```ts
 * const checked = checkPermit2Authorization(auth, requirements, { config: exactPermit2ProxyConfig, nowSeconds: Date.now() / 1000 });
 * if (!checked.ok) return { isValid: false, invalidReason: checked.reason };
 * ```
 */
export function checkPermit2Authorization(
  auth: Permit2Authorization<Record<string, string>>,
  requirements: Permit2Requirements,
  options: {
    config: Permit2ProxyConfig;
    nowSeconds: number;
    checkAmount?: (permitted: bigint, required: bigint) => CheckFailure | undefined;
  },
): CheckResult {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (!same(auth.spender, options.config.proxy))
    return fail(R.InvalidSpender, `spender ${auth.spender} is not the proxy ${options.config.proxy}`);
  const to = auth.witness.to ?? "";
  if (!same(to, requirements.payTo))
    return fail(R.RecipientMismatch, `witness.to ${to} is not payTo ${requirements.payTo}`);
  const now = BigInt(Math.floor(options.nowSeconds));
  if (BigInt(auth.deadline) < now + BigInt(PERMIT2_DEADLINE_BUFFER_SECONDS))
    return fail(R.DeadlineExpired, `deadline ${auth.deadline} is past or too close (now ${now})`);
  if (BigInt(auth.witness.validAfter ?? "0") > now)
    return fail(R.NotYetValid, `valid only after ${auth.witness.validAfter} (now ${now})`);
  const permitted = BigInt(auth.permitted.amount);
  const required = BigInt(requirements.amount);
  const amountProblem = options.checkAmount
    ? options.checkAmount(permitted, required)
    : permitted === required
      ? undefined
      : {
          ok: false as const,
          reason: R.AmountMismatch,
          message: `permitted ${permitted} ≠ required ${required}`,
        };
  if (amountProblem) return amountProblem;
  if (!same(auth.permitted.token, requirements.asset))
    return fail(R.TokenMismatch, `permitted token ${auth.permitted.token} is not ${requirements.asset}`);
  return { ok: true, value: undefined };
}

/**
 * The EIP-712 document a Permit2 payload's signature must be over, built from the payload
 * (numbers as bigints, addresses checksummed).
 *
 * @example
 * ```ts
 * const typedData = permit2TypedDataOf(auth, chainId, exactPermit2ProxyConfig);
 * ```
 */
export function permit2TypedDataOf(
  auth: Permit2Authorization<Record<string, string>>,
  chainId: number,
  config: Permit2ProxyConfig,
) {
  const witness: Record<string, `0x${string}` | bigint> = {};
  for (const key of config.witnessShape.addresses) witness[key] = getAddress(auth.witness[key] as string);
  for (const key of config.witnessShape.uints) witness[key] = BigInt(auth.witness[key] as string);
  return permit2WitnessTypedData(chainId, config.witnessTypes, {
    permitted: { token: getAddress(auth.permitted.token), amount: BigInt(auth.permitted.amount) },
    spender: getAddress(auth.spender),
    nonce: BigInt(auth.nonce),
    deadline: BigInt(auth.deadline),
    witness,
  });
}

/**
 * Step 10: the signature is the owner's, strictly as Permit2's `SignatureVerification` will
 * check it — no code at `from` → 65-byte ECDSA recovery; code at `from` → ERC-1271
 * `isValidSignature` must return the magic value. Fails with `invalid_permit2_signature`.
 * With `simulationFollows`, a signature that recovers to `from` passes without reading its code
 * (the simulation applies Permit2's rule).
 *
 * @example
 * ```ts
 * const signed = await checkPermit2Signature(signer, auth, signature, exactPermit2ProxyConfig);
 * ```
 */
export async function checkPermit2Signature(
  signer: Pick<FacilitatorEvmSigner, "chainId" | "getCode" | "call">,
  auth: Permit2Authorization<Record<string, string>>,
  signature: `0x${string}`,
  config: Permit2ProxyConfig,
  options: { simulationFollows?: boolean } = {},
): Promise<CheckResult> {
  // Direct EIP-712 digest (cached typehashes and domain separator): equal to viem's hashTypedData.
  const digest = permitWitnessTransferFromDigest(signer.chainId, config.witnessTypes, auth);
  const isEcdsaLength = signature.length === 132;
  // Cheapest first (native secp256k1 where installed): did the payer's key sign? (both lowercase)
  const recovered = isEcdsaLength
    ? await recoverDigestSigner(digest, signature).catch(() => undefined)
    : undefined;
  const byPayerKey = recovered === auth.from.toLowerCase();
  // A simulation follows: it applies Permit2's own rule (ERC-1271 for an owner with code).
  if (options.simulationFollows && byPayerKey) return { ok: true, value: undefined };
  const code = await signer.getCode(auth.from);
  if (!code || code === "0x") {
    if (!isEcdsaLength) return fail(R.InvalidSignature, "an EOA signature must be 65 bytes");
    if (byPayerKey) return { ok: true, value: undefined };
    return fail(R.InvalidSignature, `signature is not from ${auth.from} over this Permit2 transfer`);
  }
  const result = await signer.call({
    to: auth.from,
    data: encodeFunctionData({
      abi: erc1271Abi,
      functionName: "isValidSignature",
      args: [digest, signature],
    }),
  });
  const magic = result.ok
    ? decodeOr(() =>
        decodeFunctionResult({ abi: erc1271Abi, functionName: "isValidSignature", data: result.data }),
      )
    : undefined;
  if (magic?.toLowerCase() === ERC1271_MAGIC_VALUE) return { ok: true, value: undefined };
  return fail(R.InvalidSignature, `wallet ${auth.from} rejected the signature (ERC-1271)`);
}

/** Who pays what in which token, for {@link diagnosePermit2Failure}. */
export interface Permit2Diagnosis {
  config: Permit2ProxyConfig;
  token: `0x${string}`;
  owner: `0x${string}`;
  amount: bigint;
}

/**
 * Step 12: why a simulated settlement failed, in the official order — the proxy is not
 * deployed (`permit2_proxy_not_deployed`), the owner's balance is short
 * (`permit2_insufficient_balance`), Permit2's allowance is short (`permit2_allowance_required`),
 * else `permit2_simulation_failed` with the (decoded) revert text. Reads run in parallel.
 *
 * @example
 * ```ts
 * if (!simulated.ok) return invalid(await diagnosePermit2Failure(signer, { config, token, owner, amount }, simulated.revert));
 * ```
 */
export async function diagnosePermit2Failure(
  signer: Pick<FacilitatorEvmSigner, "call">,
  diagnosis: Permit2Diagnosis,
  revert = "",
): Promise<CheckFailure> {
  const state = await readPermit2State(signer, diagnosis, true);
  const prerequisite = prerequisiteFailure(state, diagnosis);
  if (prerequisite) return prerequisite;
  if (state.allowance !== undefined && state.allowance < diagnosis.amount)
    return {
      ok: false,
      reason: R.AllowanceRequired,
      message: `Permit2 may move ${state.allowance} of ${diagnosis.owner}'s tokens, ${diagnosis.amount} needed: approve Permit2 first`,
    };
  return { ok: false, reason: R.SimulationFailed, message: describePermit2Revert(revert) };
}

/**
 * What can be checked before an approval the facilitator will broadcast itself (ERC-20
 * approval sponsoring, no bundle simulation): the proxy is deployed and the owner holds the
 * amount. Same reasons as {@link diagnosePermit2Failure}.
 *
 * @example
 * ```ts
 * const ready = await checkPermit2Prerequisites(signer, { config, token, owner, amount });
 * ```
 */
export async function checkPermit2Prerequisites(
  signer: Pick<FacilitatorEvmSigner, "call">,
  diagnosis: Permit2Diagnosis,
): Promise<CheckResult> {
  const failure = prerequisiteFailure(await readPermit2State(signer, diagnosis, false), diagnosis);
  return failure ?? { ok: true, value: undefined };
}

interface Permit2State {
  proxyDeployed: boolean;
  balance?: bigint;
  allowance?: bigint;
}

async function readPermit2State(
  signer: Pick<FacilitatorEvmSigner, "call">,
  { config, token, owner }: Permit2Diagnosis,
  withAllowance: boolean,
): Promise<Permit2State> {
  const read = (to: `0x${string}`, data: `0x${string}`) => signer.call({ to, data }).catch(() => undefined);
  const [proxy, balance, allowance] = await Promise.all([
    read(config.proxy, encodeFunctionData({ abi: x402ExactPermit2ProxyABI, functionName: "PERMIT2" })),
    read(token, encodeFunctionData({ abi: erc20PermitAbi, functionName: "balanceOf", args: [owner] })),
    withAllowance
      ? read(
          token,
          encodeFunctionData({
            abi: erc20PermitAbi,
            functionName: "allowance",
            args: [owner, PERMIT2_ADDRESS],
          }),
        )
      : undefined,
  ]);
  return {
    proxyDeployed: !!proxy?.ok && proxy.data !== "0x",
    balance: balance?.ok ? decodeUint(balance.data) : undefined,
    allowance: allowance?.ok ? decodeUint(allowance.data) : undefined,
  };
}

function prerequisiteFailure(state: Permit2State, { config, owner, amount }: Permit2Diagnosis) {
  if (!state.proxyDeployed)
    return { ok: false as const, reason: R.ProxyNotDeployed, message: `no Permit2 proxy at ${config.proxy}` };
  if (state.balance !== undefined && state.balance < amount)
    return {
      ok: false as const,
      reason: R.InsufficientBalance,
      message: `balance ${state.balance} of ${owner} is below ${amount}`,
    };
  return undefined;
}

/**
 * A revert text with raw custom-error data (`data: 0x…`) named, e.g. `InvalidNonce()` or
 * `ERC20InsufficientBalance(…)`, so reason mapping and logs can read it.
 *
 * @example
 * ```ts
 * describePermit2Revert("execution reverted — data: 0x756688fe"); // "execution reverted — data: 0x756688fe (InvalidNonce)"
 * ```
 */
export function describePermit2Revert(text: string): string {
  // viem spells raw revert data as "data: 0x…" or "custom error 0x…"; try each hex run.
  for (const [hex] of text.matchAll(/0x[0-9a-fA-F]{8,}/g)) {
    const data = (hex.length % 2 === 0 ? hex : hex.slice(0, -1)) as `0x${string}`;
    const name = decodeOr(() => decodeErrorResult({ abi: permit2ErrorsAbi, data }).errorName);
    if (name) return `${text} (${name})`;
  }
  return text;
}

function decodeUint(data: `0x${string}`): bigint | undefined {
  return decodeOr(() => decodeFunctionResult({ abi: erc20PermitAbi, functionName: "balanceOf", data }));
}

function decodeOr<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch {
    return undefined;
  }
}
