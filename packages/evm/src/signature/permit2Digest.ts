import { PERMIT2_ADDRESS } from "../permit2/constants.js";
import type { Permit2WitnessTypes } from "../permit2/typedData.js";
import { abiWords, putAddressWord, putBytes32Word, putUintWord } from "./abiWords.js";
import { eip712Digest } from "./eip712Digest.js";
import { keccak256Bytes } from "./keccak256.js";

const utf8 = new TextEncoder();
const keccakText = (text: string): Uint8Array => keccak256Bytes(utf8.encode(text));

/** Permit2's domain has no `version`. */
const PERMIT2_DOMAIN_TYPEHASH = keccakText(
  "EIP712Domain(string name,uint256 chainId,address verifyingContract)",
);
const PERMIT2_NAME_HASH = keccakText("Permit2");

const domainSeparators = new Map<number, Uint8Array>();
const MAX_CACHED_CHAINS = 256;

/**
 * Permit2's EIP-712 domain separator on `chainId` (`{ name: "Permit2", chainId,
 * verifyingContract: PERMIT2_ADDRESS }`), cached per chain.
 *
 * @example
 * ```ts
 * const separator = permit2DomainSeparator(8453); // Permit2's DOMAIN_SEPARATOR() on Base
 * ```
 */
export function permit2DomainSeparator(chainId: number): Uint8Array {
  let separator = domainSeparators.get(chainId);
  if (!separator) {
    const words = abiWords(4);
    putBytes32Word(words, 0, PERMIT2_DOMAIN_TYPEHASH);
    putBytes32Word(words, 1, PERMIT2_NAME_HASH);
    putUintWord(words, 2, BigInt(chainId));
    putAddressWord(words, 3, PERMIT2_ADDRESS);
    separator = keccak256Bytes(words);
    if (domainSeparators.size >= MAX_CACHED_CHAINS) domainSeparators.clear();
    domainSeparators.set(chainId, separator);
  }
  return separator;
}

type Fields = ReadonlyArray<{ readonly name: string; readonly type: string }>;

/** The typehashes and witness field list of one witness variant (exact, upto). */
interface WitnessEncoding {
  permitTypehash: Uint8Array;
  tokenPermissionsTypehash: Uint8Array;
  witnessTypehash: Uint8Array;
  witnessFields: Fields;
}

const encodings = new WeakMap<Permit2WitnessTypes, WitnessEncoding>();

const encodeStruct = (name: string, fields: Fields) =>
  `${name}(${fields.map((field) => `${field.type} ${field.name}`).join(",")})`;

function encodingOf(types: Permit2WitnessTypes): WitnessEncoding {
  let encoding = encodings.get(types);
  if (!encoding) {
    for (const field of types.Witness as Fields)
      if (field.type !== "address" && field.type !== "uint256")
        throw new TypeError(`witness field type ${field.type} is not supported`);
    const tokenPermissions = encodeStruct("TokenPermissions", types.TokenPermissions);
    const witness = encodeStruct("Witness", types.Witness);
    // EIP-712 encodeType: the primary type, then the types it references, sorted by name.
    const permit = `${encodeStruct("PermitWitnessTransferFrom", types.PermitWitnessTransferFrom)}${tokenPermissions}${witness}`;
    encoding = {
      permitTypehash: keccakText(permit),
      tokenPermissionsTypehash: keccakText(tokenPermissions),
      witnessTypehash: keccakText(witness),
      witnessFields: types.Witness,
    };
    encodings.set(types, encoding);
  }
  return encoding;
}

/**
 * The fields of a `PermitWitnessTransferFrom`: numbers as bigints or decimal/0x strings,
 * addresses in any letter case (no checksum is needed for hashing).
 *
 * @example
 * ```ts
 * const fields: PermitWitnessTransferFromFields = payload.permit2Authorization;
 * ```
 */
export interface PermitWitnessTransferFromFields {
  permitted: { token: string; amount: bigint | string };
  spender: string;
  nonce: bigint | string;
  deadline: bigint | string;
  witness: Readonly<Record<string, bigint | string | undefined>>;
}

const uint = (value: bigint | string | undefined): bigint => {
  if (value === undefined) throw new TypeError("missing uint256");
  return typeof value === "bigint" ? value : BigInt(value);
};

/**
 * The EIP-712 digest of a Permit2 `PermitWitnessTransferFrom` on `chainId`: the same value as
 * viem's `hashTypedData(permit2WitnessTypedData(chainId, types, message))`, computed
 * directly (cached typehashes and domain separator), for the facilitator's hot path.
 * `types` picks the witness: `permit2WitnessTypes` (exact) or `uptoPermit2WitnessTypes`.
 *
 * @throws {TypeError | RangeError} for a malformed address or a number outside uint256.
 * @example
 * ```ts
 * const digest = permitWitnessTransferFromDigest(8453, permit2WitnessTypes, payload.permit2Authorization);
 * const signer = await recoverDigestSigner(digest, payload.signature);
 * ```
 */
export function permitWitnessTransferFromDigest(
  chainId: number,
  types: Permit2WitnessTypes,
  message: PermitWitnessTransferFromFields,
): `0x${string}` {
  const encoding = encodingOf(types);
  const permitted = abiWords(3);
  putBytes32Word(permitted, 0, encoding.tokenPermissionsTypehash);
  putAddressWord(permitted, 1, message.permitted.token);
  putUintWord(permitted, 2, uint(message.permitted.amount));

  const fields = encoding.witnessFields;
  const witness = abiWords(fields.length + 1);
  putBytes32Word(witness, 0, encoding.witnessTypehash);
  for (const [index, field] of fields.entries()) {
    const value = message.witness[field.name];
    if (field.type === "address") {
      if (typeof value !== "string") throw new TypeError(`witness.${field.name} must be an address`);
      putAddressWord(witness, index + 1, value);
    } else putUintWord(witness, index + 1, uint(value));
  }

  const struct = abiWords(6);
  putBytes32Word(struct, 0, encoding.permitTypehash);
  putBytes32Word(struct, 1, keccak256Bytes(permitted));
  putAddressWord(struct, 2, message.spender);
  putUintWord(struct, 3, uint(message.nonce));
  putUintWord(struct, 4, uint(message.deadline));
  putBytes32Word(struct, 5, keccak256Bytes(witness));
  return eip712Digest(permit2DomainSeparator(chainId), keccak256Bytes(struct));
}
