import {
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  type Hex,
  hexToBigInt,
  maxUint256,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type DevAccount, type Devnet, PERMIT2_ADDRESS } from "../src/index.js";

const tokenPermissions = [
  { name: "token", type: "address" },
  { name: "amount", type: "uint256" },
] as const;

const permitWitnessFields = [
  { name: "permitted", type: "TokenPermissions" },
  { name: "spender", type: "address" },
  { name: "nonce", type: "uint256" },
  { name: "deadline", type: "uint256" },
  { name: "witness", type: "Witness" },
] as const;

export const exactWitnessTypes = {
  PermitWitnessTransferFrom: permitWitnessFields,
  TokenPermissions: tokenPermissions,
  Witness: [
    { name: "to", type: "address" },
    { name: "validAfter", type: "uint256" },
  ],
} as const;

export const uptoWitnessTypes = {
  PermitWitnessTransferFrom: permitWitnessFields,
  TokenPermissions: tokenPermissions,
  Witness: [
    { name: "to", type: "address" },
    { name: "facilitator", type: "address" },
    { name: "validAfter", type: "uint256" },
  ],
} as const;

export interface Permit {
  permitted: { token: Address; amount: bigint };
  nonce: bigint;
  deadline: bigint;
}

export function permit2Domain(devnet: Devnet) {
  return { name: "Permit2", chainId: devnet.chainId, verifyingContract: PERMIT2_ADDRESS } as const;
}

/** A random 256-bit Permit2 nonce, like the x402 clients pick. */
export function randomPermit2Nonce(): bigint {
  return hexToBigInt(`0x${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("hex")}`);
}

export async function now(devnet: Devnet): Promise<bigint> {
  return (await devnet.publicClient.getBlock()).timestamp;
}

export async function newPermit(devnet: Devnet, token: Address, amount: bigint, ttl = 300n): Promise<Permit> {
  return { permitted: { token, amount }, nonce: randomPermit2Nonce(), deadline: (await now(devnet)) + ttl };
}

export function signExactPermit(
  devnet: Devnet,
  signer: DevAccount,
  permit: Permit,
  witness: { to: Address; validAfter: bigint },
  spender: Address,
): Promise<Hex> {
  return privateKeyToAccount(signer.privateKey).signTypedData({
    domain: permit2Domain(devnet),
    types: exactWitnessTypes,
    primaryType: "PermitWitnessTransferFrom",
    message: { ...permit, spender, witness },
  });
}

export function signUptoPermit(
  devnet: Devnet,
  signer: DevAccount,
  permit: Permit,
  witness: { to: Address; facilitator: Address; validAfter: bigint },
  spender: Address,
): Promise<Hex> {
  return privateKeyToAccount(signer.privateKey).signTypedData({
    domain: permit2Domain(devnet),
    types: uptoWitnessTypes,
    primaryType: "PermitWitnessTransferFrom",
    message: { ...permit, spender, witness },
  });
}

/** Signs an EIP-2612 permit of `token` for Permit2 (what the eip2612GasSponsoring client sends). */
export async function signPermit2612(
  devnet: Devnet,
  signer: DevAccount,
  token: { address: Address; name: string; version: string },
  value: bigint,
  deadline: bigint = maxUint256,
): Promise<{ value: bigint; deadline: bigint; v: number; r: Hex; s: Hex }> {
  const nonce = await devnet.publicClient.readContract({
    address: token.address,
    abi: [
      {
        type: "function",
        name: "nonces",
        stateMutability: "view",
        inputs: [{ type: "address" }],
        outputs: [{ type: "uint256" }],
      },
    ],
    functionName: "nonces",
    args: [signer.address],
  });
  const signature = await privateKeyToAccount(signer.privateKey).signTypedData({
    domain: {
      name: token.name,
      version: token.version,
      chainId: devnet.chainId,
      verifyingContract: token.address,
    },
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
    message: { owner: signer.address, spender: PERMIT2_ADDRESS, value, nonce, deadline },
  });
  const r = `0x${signature.slice(2, 66)}` as Hex;
  const s = `0x${signature.slice(66, 130)}` as Hex;
  const v = Number.parseInt(signature.slice(130, 132), 16);
  return { value, deadline, v, r, s };
}

/** The custom error name (or revert string) a failing call ends with. */
export async function revertName(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (error instanceof BaseError) {
      const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
      if (reverted instanceof ContractFunctionRevertedError) {
        const name = reverted.data?.errorName;
        if (name && name !== "Error") return name;
        return reverted.reason ?? reverted.shortMessage;
      }
    }
    throw error;
  }
  throw new Error("expected the call to revert, but it succeeded");
}
