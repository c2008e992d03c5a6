import {
  type AbiFunction,
  encodeFunctionData,
  getAddress,
  hexToNumber,
  size,
  slice,
  toFunctionSelector,
} from "viem";
import { x402ExactPermit2ProxyABI, x402UptoPermit2ProxyABI } from "./abi.js";
import type { ExactPermit2Payload, Permit2Authorization } from "./payload.js";

/**
 * Permit2's `PermitTransferFrom` struct of a payload (the `permit` argument of both proxies).
 *
 * @example
 * ```ts
 * const permit = permitTransferFromOf(payload.permit2Authorization);
 * ```
 */
export function permitTransferFromOf(auth: Permit2Authorization<unknown>) {
  return {
    permitted: { token: getAddress(auth.permitted.token), amount: BigInt(auth.permitted.amount) },
    nonce: BigInt(auth.nonce),
    deadline: BigInt(auth.deadline),
  };
}

/**
 * An EIP-2612 permit from the `eip2612GasSponsoring` info, as the proxies' `settleWithPermit`
 * takes it: the 65-byte signature split into r (bytes 0–31), s (32–63), v (byte 64).
 *
 * @example
 * ```ts
 * const permit2612 = eip2612PermitArgOf({ amount: "10000", deadline: "1900000000", signature });
 * ```
 */
export function eip2612PermitArgOf(info: { amount: string; deadline: string; signature: string }) {
  const signature = info.signature as `0x${string}`;
  if (size(signature) !== 65) throw new Error("an EIP-2612 signature must be 65 bytes");
  return {
    value: BigInt(info.amount),
    deadline: BigInt(info.deadline),
    r: slice(signature, 0, 32),
    s: slice(signature, 32, 64),
    v: hexToNumber(slice(signature, 64, 65)),
  };
}

/**
 * Calldata of the exact proxy's `settle(permit, owner, witness, signature)` for a payload, or
 * of `settleWithPermit(permit2612, …)` when an EIP-2612 permit is given.
 *
 * @example
 * ```ts
 * await signer.sendTransaction({ to: x402ExactPermit2ProxyAddress, data: encodeExactPermit2Settle(payload) });
 * ```
 */
export function encodeExactPermit2Settle(
  payload: ExactPermit2Payload,
  permit2612?: { amount: string; deadline: string; signature: string },
): `0x${string}` {
  const auth = payload.permit2Authorization;
  if (!permit2612)
    return encodeSettleCall(
      EXACT_SETTLE,
      [
        ...permitWordsOf(auth),
        addressWord(auth.from),
        addressWord(auth.witness.to),
        uintWord(auth.witness.validAfter),
      ],
      payload.signature,
    );
  return encodeFunctionData({
    abi: x402ExactPermit2ProxyABI,
    functionName: "settleWithPermit",
    args: [
      eip2612PermitArgOf(permit2612),
      permitTransferFromOf(auth),
      getAddress(auth.from),
      { to: getAddress(auth.witness.to), validAfter: BigInt(auth.witness.validAfter) },
      payload.signature,
    ],
  });
}

const settleSelectorOf = (abi: readonly unknown[]) =>
  toFunctionSelector(
    (abi as AbiFunction[]).find((item) => item.type === "function" && item.name === "settle") as AbiFunction,
  );
/** `settle(…)` of the exact and upto proxies. */
const EXACT_SETTLE = settleSelectorOf(x402ExactPermit2ProxyABI);
const UPTO_SETTLE = settleSelectorOf(x402UptoPermit2ProxyABI);

const MAX_UINT256 = 2n ** 256n - 1n;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HEX_BYTES = /^0x(?:[0-9a-fA-F]{2})*$/;

function uintWord(value: bigint | string): string {
  const number = typeof value === "bigint" ? value : BigInt(value);
  if (number < 0n || number > MAX_UINT256) throw new RangeError(`${value} is not a uint256`);
  return number.toString(16).padStart(64, "0");
}

function addressWord(address: string): string {
  if (!ADDRESS.test(address)) throw new TypeError(`${address} is not an address`);
  return address.slice(2).toLowerCase().padStart(64, "0");
}

/** The static `PermitTransferFrom` tuple: token, amount, nonce, deadline. */
function permitWordsOf(auth: Permit2Authorization<unknown>): string[] {
  return [
    addressWord(auth.permitted.token),
    uintWord(auth.permitted.amount),
    uintWord(auth.nonce),
    uintWord(auth.deadline),
  ];
}

/**
 * ABI calldata of a proxy `settle` whose arguments are static words followed by the
 * signature (`bytes`, last): the same bytes viem's `encodeFunctionData` produces, written
 * directly (no ABI walk, no checksums) because verify dry-runs it for every payment.
 */
function encodeSettleCall(
  selector: `0x${string}`,
  head: readonly string[],
  signature: string,
): `0x${string}` {
  if (!HEX_BYTES.test(signature)) throw new TypeError("the signature must be hex bytes");
  const data = signature.slice(2).toLowerCase();
  const tail = data.padEnd(Math.ceil(data.length / 64) * 64, "0");
  const offset = uintWord(BigInt((head.length + 1) * 32));
  return `${selector}${head.join("")}${offset}${uintWord(BigInt(data.length / 2))}${tail}`;
}

/**
 * Calldata of the upto proxy's plain `settle(permit, amount, owner, witness, signature)`
 * (`witness` = `{to, facilitator, validAfter}`), written directly; see `encodeUptoSettle`.
 *
 * @example
 * ```ts
 * const data = encodeUptoPlainSettle(payload.permit2Authorization, payload.signature, 1858n);
 * ```
 */
export function encodeUptoPlainSettle(
  auth: Permit2Authorization<{ to: string; facilitator: string; validAfter: string }>,
  signature: string,
  amount: bigint,
): `0x${string}` {
  return encodeSettleCall(
    UPTO_SETTLE,
    [
      ...permitWordsOf(auth),
      uintWord(amount),
      addressWord(auth.from),
      addressWord(auth.witness.to),
      addressWord(auth.witness.facilitator),
      uintWord(auth.witness.validAfter),
    ],
    signature,
  );
}
