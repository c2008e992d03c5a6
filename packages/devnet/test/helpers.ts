import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { type Address, BaseError, ContractFunctionRevertedError, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { DevAccount, Devnet } from "../src/index.js";

/** True while `pid` is a live process (a zombie awaiting its parent counts as dead). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..." where S = Z for a zombie.
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** True if something accepts TCP connections on 127.0.0.1:port. */
export function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export function randomNonce(): Hex {
  return `0x${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("hex")}`;
}

const authorizationFields = [
  { name: "from", type: "address" },
  { name: "to", type: "address" },
  { name: "value", type: "uint256" },
  { name: "validAfter", type: "uint256" },
  { name: "validBefore", type: "uint256" },
  { name: "nonce", type: "bytes32" },
] as const;

export interface Authorization {
  from: Address;
  to: Address;
  value: bigint;
  validAfter: bigint;
  validBefore: bigint;
  nonce: Hex;
}

/** Signs an EIP-3009 authorization the way an x402 client does (viem signTypedData). */
export function signAuthorization(
  devnet: Devnet,
  signer: DevAccount,
  message: Authorization,
  primaryType: "TransferWithAuthorization" | "ReceiveWithAuthorization" = "TransferWithAuthorization",
): Promise<Hex> {
  const account = privateKeyToAccount(signer.privateKey);
  const domain = devnet.usdc.domain;
  if (primaryType === "ReceiveWithAuthorization") {
    return account.signTypedData({
      domain,
      types: { ReceiveWithAuthorization: authorizationFields },
      primaryType,
      message,
    });
  }
  return account.signTypedData({
    domain,
    types: { TransferWithAuthorization: authorizationFields },
    primaryType,
    message,
  });
}

export function signCancel(
  devnet: Devnet,
  signer: DevAccount,
  authorizer: Address,
  nonce: Hex,
): Promise<Hex> {
  return privateKeyToAccount(signer.privateKey).signTypedData({
    domain: devnet.usdc.domain,
    types: {
      CancelAuthorization: [
        { name: "authorizer", type: "address" },
        { name: "nonce", type: "bytes32" },
      ],
    },
    primaryType: "CancelAuthorization",
    message: { authorizer, nonce },
  });
}

export function signPermit(
  devnet: Devnet,
  signer: DevAccount,
  message: { owner: Address; spender: Address; value: bigint; nonce: bigint; deadline: bigint },
): Promise<Hex> {
  return privateKeyToAccount(signer.privateKey).signTypedData({
    domain: devnet.usdc.domain,
    types: {
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "Permit",
    message,
  });
}

/**
 * The revert-text → reason mapping of exact-evm.md §2.3 step 6 (same order), used to prove that
 * TestUSDC's messages land on the intended x402 error reasons.
 */
export function reasonFromRevertText(text: string): string {
  if (/authorization.*(expired|valid before)|AuthorizationExpired/i.test(text)) {
    return "invalid_exact_evm_payload_authorization_valid_before";
  }
  if (/authorization.*not.*valid|AuthorizationNotYetValid/i.test(text)) {
    return "invalid_exact_evm_payload_authorization_valid_after";
  }
  if (/authorization.*used|AuthorizationAlreadyUsed|AuthorizationUsedOrCanceled/i.test(text)) {
    return "invalid_exact_evm_nonce_already_used";
  }
  if (/transfer.*exceeds.*balance|insufficient.*balance|ERC20InsufficientBalance/i.test(text)) {
    return "invalid_exact_evm_insufficient_balance";
  }
  if (/invalid.*signature|SignerMismatch|InvalidSignatureV|InvalidSignatureS/i.test(text)) {
    return "invalid_exact_evm_signature";
  }
  return "invalid_exact_evm_transaction_failed";
}

/** The revert reason of a failing contract call (viem error), or the error message if none. */
export async function revertReason(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (error instanceof BaseError) {
      const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
      if (reverted instanceof ContractFunctionRevertedError && reverted.reason) return reverted.reason;
    }
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error("expected the call to revert, but it succeeded");
}
