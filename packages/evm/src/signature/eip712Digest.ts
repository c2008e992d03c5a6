import { bytesToHex, hexToBytes } from "viem";
import type { Eip3009Domain, TransferWithAuthorizationMessage } from "../typedData.js";
import { abiWords, putAddressWord, putBytes32Word, putUintWord } from "./abiWords.js";
import { keccak256Bytes } from "./keccak256.js";

const utf8 = new TextEncoder();
const keccak = (bytes: Uint8Array): Uint8Array => keccak256Bytes(bytes);
const typeHash = (type: string): Uint8Array => keccak(utf8.encode(type));

const EIP712_DOMAIN_TYPEHASH = typeHash(
  "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)",
);
/** `0x7c7c6cdb…2267`, as in the token contract. */
const TRANSFER_WITH_AUTHORIZATION_TYPEHASH = typeHash(
  "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)",
);

const separators = new Map<string, Uint8Array>();
const MAX_CACHED_SEPARATORS = 1_024;

/**
 * The EIP-712 domain separator of `{ name, version, chainId, verifyingContract }`, cached
 * (a facilitator sees few tokens).
 *
 * @example
 * ```ts
 * const separator = eip712DomainSeparator({ name: "USD Coin", version: "2", chainId: 8453, verifyingContract: usdc });
 * ```
 */
export function eip712DomainSeparator(domain: Eip3009Domain): Uint8Array {
  const key = `${domain.chainId}|${domain.verifyingContract.toLowerCase()}|${domain.name}|${domain.version}`;
  let separator = separators.get(key);
  if (!separator) {
    separator = keccak(
      concatWords(
        EIP712_DOMAIN_TYPEHASH,
        keccak(utf8.encode(domain.name)),
        keccak(utf8.encode(domain.version)),
        uintWord(BigInt(domain.chainId)),
        addressWord(domain.verifyingContract),
      ),
    );
    if (separators.size >= MAX_CACHED_SEPARATORS) separators.clear();
    separators.set(key, separator);
  }
  return separator;
}

/**
 * The digest `keccak256(0x1901 ‖ domainSeparator ‖ structHash)` an EIP-712 signature is over.
 *
 * @example
 * ```ts
 * const digest = eip712Digest(eip712DomainSeparator(domain), structHash);
 * ```
 */
export function eip712Digest(domainSeparator: Uint8Array, structHash: Uint8Array): `0x${string}` {
  const bytes = new Uint8Array(66);
  bytes[0] = 0x19;
  bytes[1] = 0x01;
  bytes.set(domainSeparator, 2);
  bytes.set(structHash, 34);
  return bytesToHex(keccak(bytes));
}

/**
 * The EIP-712 digest of an EIP-3009 `TransferWithAuthorization`: the same value as viem's
 * `hashTypedData(transferWithAuthorizationTypedData(domain, message))`, computed directly
 * (no generic type walk), for the facilitator's hot path.
 *
 * @example
 * ```ts
 * const digest = transferWithAuthorizationDigest(domain, { from, to, value: 10000n, validAfter: 0n, validBefore, nonce });
 * ```
 */
export function transferWithAuthorizationDigest(
  domain: Eip3009Domain,
  message: TransferWithAuthorizationMessage,
): `0x${string}` {
  const structHash = keccak(
    concatWords(
      TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
      addressWord(message.from),
      addressWord(message.to),
      uintWord(message.value),
      uintWord(message.validAfter),
      uintWord(message.validBefore),
      hexToBytes(message.nonce, { size: 32 }),
    ),
  );
  return eip712Digest(eip712DomainSeparator(domain), structHash);
}

function concatWords(...words: Uint8Array[]): Uint8Array {
  const bytes = abiWords(words.length);
  for (const [index, word] of words.entries()) putBytes32Word(bytes, index, word);
  return bytes;
}

function uintWord(value: bigint): Uint8Array {
  const word = abiWords(1);
  putUintWord(word, 0, value);
  return word;
}

function addressWord(address: `0x${string}`): Uint8Array {
  const word = abiWords(1);
  putAddressWord(word, 0, address);
  return word;
}
