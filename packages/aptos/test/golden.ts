import { createHash, createPrivateKey, createPublicKey, sign } from "node:crypto";

/**
 * Golden Aptos payloads built byte by byte from the layout in our protocol notes
 * (exact-aptos.md §2), with Node's crypto only — no Aptos SDK — so that decoding them
 * checks our implementation against the wire format, not against itself.
 */
export interface GoldenInput {
  seed: Uint8Array; // 32-byte Ed25519 seed of the sender
  sequenceNumber: bigint;
  asset: string;
  payTo: string;
  amount: bigint;
  maxGasAmount: bigint;
  gasUnitPrice: bigint;
  expiration: bigint;
  chainId: number;
  feePayer?: string;
}

export interface Golden {
  sender: string;
  rawTransaction: Uint8Array;
  transaction: Uint8Array;
  signingMessage: Uint8Array;
  authenticator: Uint8Array;
  /** The wire value of `payload.transaction`. */
  encoded: string;
}

const sha3 = (...parts: Uint8Array[]) => {
  const hash = createHash("sha3-256");
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
};
const utf8 = (text: string) => new TextEncoder().encode(text);
const hex = (address: string) => Uint8Array.from(Buffer.from(address.slice(2).padStart(64, "0"), "hex"));
const u64 = (value: bigint) => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value, true);
  return out;
};
const uleb = (value: number) => {
  const out: number[] = [];
  let rest = value;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    out.push(rest ? byte | 0x80 : byte);
  } while (rest);
  return Uint8Array.from(out);
};
const str = (text: string) => concat(uleb(utf8(text).length), utf8(text));
const bytes = (value: Uint8Array) => concat(uleb(value.length), value);
export const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]));

/** Ed25519 public key of a seed (PKCS#8 wrapping of the 32-byte seed). */
export function publicKeyOf(seed: Uint8Array): Uint8Array {
  const der = createPublicKey(privateKeyOf(seed)).export({ format: "der", type: "spki" });
  return new Uint8Array(der.subarray(der.length - 32));
}

function privateKeyOf(seed: Uint8Array) {
  const pkcs8 = concat(Uint8Array.from(Buffer.from("302e020100300506032b657004220420", "hex")), seed);
  return createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" });
}

/** Build the payment of `input` exactly as the spec lays it out. */
export function buildGolden(input: GoldenInput): Golden {
  const publicKey = publicKeyOf(input.seed);
  const senderBytes = sha3(publicKey, Uint8Array.of(0)); // Ed25519 auth key = address
  const sender = `0x${Buffer.from(senderBytes).toString("hex")}`;
  const one = hex("0x1");
  const entryFunction = concat(
    one,
    str("primary_fungible_store"),
    str("transfer"),
    uleb(1),
    Uint8Array.of(7), // TypeTag::Struct
    one,
    str("fungible_asset"),
    str("Metadata"),
    uleb(0),
    uleb(3),
    bytes(hex(input.asset)),
    bytes(hex(input.payTo)),
    bytes(u64(input.amount)),
  );
  const rawTransaction = concat(
    senderBytes,
    u64(input.sequenceNumber),
    uleb(2), // TransactionPayload::EntryFunction
    entryFunction,
    u64(input.maxGasAmount),
    u64(input.gasUnitPrice),
    u64(input.expiration),
    Uint8Array.of(input.chainId),
  );
  const feePayer = input.feePayer ? hex(input.feePayer) : undefined;
  const transaction = feePayer
    ? concat(rawTransaction, Uint8Array.of(1), feePayer)
    : concat(rawTransaction, Uint8Array.of(0));
  const signingMessage = feePayer
    ? concat(sha3(utf8("APTOS::RawTransactionWithData")), uleb(1), rawTransaction, uleb(0), feePayer)
    : concat(sha3(utf8("APTOS::RawTransaction")), rawTransaction);
  const signature = new Uint8Array(sign(null, signingMessage, privateKeyOf(input.seed)));
  const authenticator = concat(uleb(0), bytes(publicKey), bytes(signature)); // AccountAuthenticator::Ed25519
  const encoded = Buffer.from(
    JSON.stringify({ transaction: Array.from(transaction), senderAuthenticator: Array.from(authenticator) }),
  ).toString("base64");
  return { sender, rawTransaction, transaction, signingMessage, authenticator, encoded };
}

/** Re-encode a payload with other bytes (for tampering tests). */
export function encodeGolden(transaction: Uint8Array, authenticator: Uint8Array): string {
  return Buffer.from(
    JSON.stringify({ transaction: Array.from(transaction), senderAuthenticator: Array.from(authenticator) }),
  ).toString("base64");
}
