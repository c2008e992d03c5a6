import type { KeyPairSigner } from "@solana/kit";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import type { SolanaDevnet } from "@x402kit/devnet/solana";
import { base58ToBytes, base64ToBytes, bytesToBase64 } from "../../src/encoding.js";
import { ExactSvmScheme as ClientScheme } from "../../src/exact/client/index.js";
import { decodeWireTransaction, encodeWireTransaction } from "../../src/wireTransaction.js";

/** Every payment of these tests: 0.01 of the devnet's USDC. */
export const PRICE = 10_000n;

/** Requirements for {@link PRICE} to `payTo`, fee payer `facilitator`. */
export function requirementsOn(devnet: SolanaDevnet, overrides: Partial<PaymentRequirements> = {}) {
  return {
    scheme: "exact",
    network: devnet.network,
    amount: String(PRICE),
    asset: devnet.usdc.address,
    payTo: devnet.accounts.payTo.address,
    maxTimeoutSeconds: 60,
    extra: { feePayer: devnet.accounts.facilitator.address },
    ...overrides,
  } as PaymentRequirements;
}

/** A v2 payload carrying `transaction` for `accepted`. */
export function payloadOf(transaction: string, accepted: PaymentRequirements): PaymentPayload {
  return { x402Version: 2, accepted, payload: { transaction } } as PaymentPayload;
}

/** A payment built by our client (the payer signs, the fee-payer slot stays empty). */
export async function clientPayment(devnet: SolanaDevnet, req: PaymentRequirements): Promise<PaymentPayload> {
  const client = new ClientScheme(devnet.accounts.payer.signer, { rpcUrl: devnet.rpcUrl });
  const result = await client.createPaymentPayload(2, req);
  return { x402Version: 2, accepted: req, payload: result.payload } as PaymentPayload;
}

/** Token balances of payer and payTo, and the fee payer's lamports. */
export async function balancesOf(devnet: SolanaDevnet) {
  const { payer, payTo, facilitator } = devnet.accounts;
  return {
    payer: await devnet.tokenBalance(payer.address),
    payTo: await devnet.tokenBalance(payTo.address),
    feePayerLamports: devnet.lamports(facilitator.address),
  };
}

/**
 * The transaction with its LAST instruction's program index replaced (that instruction must
 * have no accounts and under 128 bytes of data, e.g. a memo), re-signed by `payer` in slot 1.
 * Builds what kit refuses to compile, such as the fee payer invoked as a program.
 */
export async function withLastProgramIndex(
  transaction: string,
  programIndex: number,
  dataLength: number,
  payer: KeyPairSigner,
): Promise<string> {
  const tx = decodeWireTransaction(base64ToBytes(transaction));
  const message = new Uint8Array(tx.messageBytes);
  // v0 layout tail: [program][0 accounts][data length][data…][0 lookup tables]
  message[message.length - 1 - dataLength - 2 - 1] = programIndex;
  const [signed] = await payer.signMessages([{ content: message as never, signatures: {} }]);
  const signatures = tx.signatures.map((s, i) =>
    i === 1 ? new Uint8Array(signed?.[payer.address] as Uint8Array) : s,
  );
  return bytesToBase64(encodeWireTransaction(signatures, message));
}

/**
 * The transaction with every occurrence of static account `from` replaced by `to` in the
 * message, re-signed by `payer` in slot 1: an address kit would merge (e.g. the fee payer)
 * listed a second time at another static index.
 */
export async function withAccountReplaced(
  transaction: string,
  from: string,
  to: string,
  payer: KeyPairSigner,
): Promise<string> {
  const tx = decodeWireTransaction(base64ToBytes(transaction));
  const message = new Uint8Array(tx.messageBytes);
  const [fromBytes, toBytes] = [base58ToBytes(from), base58ToBytes(to)];
  for (let i = 0; i + 32 <= message.length; i++)
    if (fromBytes.every((byte, j) => message[i + j] === byte)) message.set(toBytes, i);
  const [signed] = await payer.signMessages([{ content: message as never, signatures: {} }]);
  const signatures = tx.signatures.map((s, i) =>
    i === 1 ? new Uint8Array(signed?.[payer.address] as Uint8Array) : s,
  );
  return bytesToBase64(encodeWireTransaction(signatures, message));
}
