import { bytesToBase58 } from "./encoding.js";

/** One compiled instruction: indexes into the message's account list, and its data. */
export interface CompiledInstruction {
  programIdIndex: number;
  accountIndexes: number[];
  data: Uint8Array;
}

/**
 * A Solana transaction as it travels (legacy or v0), decoded without any SDK: the signature
 * slots, the exact message bytes every signer signs, and the message's parts.
 *
 * @example
 * ```ts
 * const tx = decodeWireTransaction(base64ToBytes(payload.transaction));
 * tx.staticAccounts[0]; // the fee payer
 * ```
 */
export interface WireTransaction {
  signatures: Uint8Array[];
  messageBytes: Uint8Array;
  version: "legacy" | 0;
  numRequiredSignatures: number;
  numReadonlySigned: number;
  numReadonlyUnsigned: number;
  /** Base58 addresses of the static account keys. */
  staticAccounts: string[];
  /** Raw 32-byte keys, in the same order. */
  staticAccountBytes: Uint8Array[];
  recentBlockhash: string;
  instructions: CompiledInstruction[];
  /** Number of address lookup tables the message uses (v0 only). */
  addressTableLookups: number;
}

class Reader {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}
  u8(): number {
    if (this.offset >= this.bytes.length) throw new Error("truncated transaction");
    return this.bytes[this.offset++] as number;
  }
  shortVec(): number {
    let value = 0;
    for (let shift = 0; shift < 21; shift += 7) {
      const byte = this.u8();
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new Error("bad compact-u16");
  }
  take(length: number): Uint8Array {
    if (this.offset + length > this.bytes.length) throw new Error("truncated transaction");
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }
}

/**
 * Decode transaction wire bytes (compact-u16 signature count, 64-byte signatures, message).
 *
 * @throws {Error} when the bytes are not one well-formed transaction (trailing bytes included).
 * @example
 * ```ts
 * const { messageBytes, signatures } = decodeWireTransaction(bytes);
 * ```
 */
export function decodeWireTransaction(bytes: Uint8Array): WireTransaction {
  const reader = new Reader(bytes);
  const signatureCount = reader.shortVec();
  const signatures: Uint8Array[] = [];
  for (let i = 0; i < signatureCount; i++) signatures.push(reader.take(64));
  const messageStart = reader.offset;
  const first = reader.u8();
  let version: "legacy" | 0 = "legacy";
  let numRequiredSignatures = first;
  if (first & 0x80) {
    if ((first & 0x7f) !== 0) throw new Error(`unsupported transaction version ${first & 0x7f}`);
    version = 0;
    numRequiredSignatures = reader.u8();
  }
  const numReadonlySigned = reader.u8();
  const numReadonlyUnsigned = reader.u8();
  const accountCount = reader.shortVec();
  const staticAccountBytes: Uint8Array[] = [];
  for (let i = 0; i < accountCount; i++) staticAccountBytes.push(reader.take(32));
  const recentBlockhash = bytesToBase58(reader.take(32));
  const instructionCount = reader.shortVec();
  const instructions: CompiledInstruction[] = [];
  for (let i = 0; i < instructionCount; i++) {
    const programIdIndex = reader.u8();
    const accountIndexes = Array.from(reader.take(reader.shortVec()));
    const data = reader.take(reader.shortVec());
    instructions.push({ programIdIndex, accountIndexes, data });
  }
  let addressTableLookups = 0;
  if (version === 0) {
    addressTableLookups = reader.shortVec();
    for (let i = 0; i < addressTableLookups; i++) {
      reader.take(32);
      reader.take(reader.shortVec());
      reader.take(reader.shortVec());
    }
  }
  if (reader.offset !== bytes.length) throw new Error("trailing bytes after the message");
  if (signatureCount !== numRequiredSignatures)
    throw new Error(`${signatureCount} signatures for ${numRequiredSignatures} required signers`);
  if (numRequiredSignatures > accountCount || numRequiredSignatures === 0)
    throw new Error("bad message header");
  return {
    signatures,
    messageBytes: bytes.subarray(messageStart),
    version,
    numRequiredSignatures,
    numReadonlySigned,
    numReadonlyUnsigned,
    staticAccounts: staticAccountBytes.map(bytesToBase58),
    staticAccountBytes,
    recentBlockhash,
    instructions,
    addressTableLookups,
  };
}

/**
 * Re-assemble wire bytes from signatures and message bytes (to place a co-signature).
 *
 * @example
 * ```ts
 * const signed = encodeWireTransaction([feePayerSignature, ...tx.signatures.slice(1)], tx.messageBytes);
 * ```
 */
export function encodeWireTransaction(
  signatures: readonly Uint8Array[],
  messageBytes: Uint8Array,
): Uint8Array {
  const count = encodeShortVec(signatures.length);
  const out = new Uint8Array(count.length + signatures.length * 64 + messageBytes.length);
  out.set(count, 0);
  signatures.forEach((signature, i) => {
    out.set(signature, count.length + i * 64);
  });
  out.set(messageBytes, count.length + signatures.length * 64);
  return out;
}

function encodeShortVec(value: number): Uint8Array {
  const out: number[] = [];
  let rest = value;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    if (rest === 0) {
      out.push(byte);
      return new Uint8Array(out);
    }
    out.push(byte | 0x80);
  }
}
