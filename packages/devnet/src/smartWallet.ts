import {
  type Address,
  concatHex,
  encodeAbiParameters,
  encodeFunctionData,
  getContractAddress,
  type Hex,
  numberToHex,
  serializeErc6492Signature,
} from "viem";
import { SMART_WALLET_FACTORY_ADDRESS } from "./constants.js";
import { smartWalletBytecode } from "./contracts/smartWalletArtifact.js";
import { smartWalletFactoryAbi } from "./contracts/smartWalletFactoryArtifact.js";

/** A CREATE2 salt: a bigint or a 32-byte hex string. */
export type WalletSalt = bigint | Hex;

/** The 32-byte suffix that marks an ERC-6492 signature. */
export const ERC6492_MAGIC_SUFFIX: Hex = "0x6492649264926492649264926492649264926492649264926492649264926492";

function saltHex(salt: WalletSalt): Hex {
  return typeof salt === "bigint" ? numberToHex(salt, { size: 32 }) : numberToHex(BigInt(salt), { size: 32 });
}

/**
 * The address of the DevnetSmartWallet of (`owner`, `salt`), deployed or not (CREATE2 through the
 * devnet's factory, computed offline).
 *
 * @example
 * const wallet = smartWalletAddress(devnet.accounts.payer.address, 1n);
 */
export function smartWalletAddress(
  owner: Address,
  salt: WalletSalt = 0n,
  factory: Address = SMART_WALLET_FACTORY_ADDRESS,
): Address {
  const initCode = concatHex([smartWalletBytecode, encodeAbiParameters([{ type: "address" }], [owner])]);
  return getContractAddress({ opcode: "CREATE2", from: factory, salt: saltHex(salt), bytecode: initCode });
}

/**
 * Calldata of `createAccount(owner, salt)` on the factory: what an ERC-6492 signature carries to
 * deploy the wallet.
 *
 * @example
 * const data = smartWalletFactoryCalldata(owner, 1n);
 */
export function smartWalletFactoryCalldata(owner: Address, salt: WalletSalt = 0n): Hex {
  return encodeFunctionData({
    abi: smartWalletFactoryAbi,
    functionName: "createAccount",
    args: [owner, saltHex(salt)],
  });
}

/**
 * Wraps a signature as ERC-6492: `abi.encode(factory, factoryCalldata, signature) ++ magic suffix`.
 * A verifier that finds no code at the signer runs `factory.call(factoryCalldata)` first, then
 * checks `signature` with ERC-1271.
 *
 * @example
 * const wrapped = wrapErc6492(SMART_WALLET_FACTORY_ADDRESS, smartWalletFactoryCalldata(owner, 1n), innerSig);
 */
export function wrapErc6492(factory: Address, factoryCalldata: Hex, signature: Hex): Hex {
  const wrapped = serializeErc6492Signature({ address: factory, data: factoryCalldata, signature });
  // viem's layout is the ERC-6492 one; checked here so a change in viem cannot go unnoticed.
  if (!wrapped.toLowerCase().endsWith(ERC6492_MAGIC_SUFFIX.slice(2))) throw new Error("bad ERC-6492 suffix");
  return wrapped;
}
