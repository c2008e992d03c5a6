import { AccountAddress, Deserializer, type PublicKey } from "@aptos-labs/ts-sdk";
import type { PaymentPayload, PaymentRequirements } from "@x402kit/core";
import {
  APTOS_ADDRESS_REGEX,
  EXPIRATION_BUFFER_SECONDS,
  FUNGIBLE_ASSET_METADATA_TYPE,
} from "../../constants.js";
import { tryGetAptosChainId } from "../../networks.js";
import { type AptosPayment, deserializeAptosPayment, isExactAptosPayload } from "../../payload.js";
import { ExactAptosReason as R } from "../../reasons.js";
import { readSenderKey } from "./verifySenderSignature.js";

/** Limits and facts {@link checkAptosPayment} judges against. */
export interface CheckContext {
  /** The facilitator's fee-payer addresses (long form). */
  feePayers: readonly string[];
  nowSeconds: number;
  maxGasAmount: bigint;
  maxGasUnitPrice: bigint;
  /** Bound on `max_gas_amount × gas_unit_price` (octas); default their bounds' product. */
  maxFee?: bigint;
}

/** A payment that passed every offline check. */
export interface CheckedAptosPayment {
  payment: AptosPayment;
  /** Sender, long form. */
  payer: string;
  publicKey: PublicKey;
  sponsored: boolean;
}

/** Outcome of {@link checkAptosPayment}. */
export type CheckResult =
  | { ok: true; checked: CheckedAptosPayment }
  | { ok: false; reason: string; message: string; payer?: string };

const fail = (reason: string, message: string, payer?: string): CheckResult => ({
  ok: false,
  reason,
  message,
  ...(payer ? { payer } : {}),
});

/**
 * Every check that needs no node, in the official order (version, scheme, network, fee payer,
 * decoding, chain id, authenticator, gas bounds, fee payer, expiration, function, type argument,
 * arguments), then — ours, last because it is the costly one — the sender's signature.
 * Stricter than the reference: the signature is verified (strict Ed25519; multi-keys of at
 * most 3 keys), `gas_unit_price` and the fee (`max_gas_amount × gas_unit_price`) are bounded,
 * only `primary_fungible_store::transfer<0x1::fungible_asset::Metadata>` is accepted, a zero
 * amount and a sponsored payment to oneself are refused, and a transaction naming a fee payer
 * is refused when the requirement does not sponsor.
 *
 * @example
 * ```ts
 * const result = checkAptosPayment(payload, requirements, { feePayers, nowSeconds, maxGasAmount: 500_000n, maxGasUnitPrice: 150n });
 * ```
 */
export function checkAptosPayment(
  payload: PaymentPayload,
  requirements: PaymentRequirements,
  context: CheckContext,
): CheckResult {
  if (payload?.x402Version !== 2) return fail(R.UnsupportedVersion, "only x402 v2 is supported");
  if (payload.accepted?.scheme !== "exact" || requirements?.scheme !== "exact")
    return fail(R.UnsupportedScheme, "scheme must be exact");
  if (payload.accepted.network !== requirements.network)
    return fail(R.NetworkMismatch, "accepted.network differs from the requirement's");
  const chainId = tryGetAptosChainId(requirements.network);
  const { asset, payTo, amount } = requirements;
  if (
    chainId === undefined ||
    typeof asset !== "string" ||
    !APTOS_ADDRESS_REGEX.test(asset) ||
    typeof payTo !== "string" ||
    !APTOS_ADDRESS_REGEX.test(payTo) ||
    typeof amount !== "string" ||
    !/^\d{1,20}$/.test(amount)
  )
    return fail(R.InvalidPaymentRequirements, "network, asset, payTo or amount is malformed");
  // A zero transfer moves nothing but still costs the sponsor gas.
  if (BigInt(amount) === 0n) return fail(R.InvalidPaymentRequirements, "amount must be positive");
  const feePayer = requirements.extra?.feePayer;
  const sponsored = typeof feePayer === "string";
  if (sponsored && !context.feePayers.some((address) => sameAddress(address, feePayer)))
    return fail(R.FeePayerNotManaged, `${feePayer} is not a fee payer of this facilitator`);

  let payment: AptosPayment;
  try {
    if (!isExactAptosPayload(payload.payload)) throw new Error("payload.transaction is missing");
    payment = deserializeAptosPayment(payload.payload.transaction);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail(`${R.VerificationError}: ${message}`, message);
  }
  const { transaction, senderAuthenticator, entryFunction } = payment;
  const raw = transaction.rawTransaction;
  const payer = raw.sender.toStringLong();
  if (raw.chain_id.chainId !== chainId)
    return fail(
      `${R.ChainIdMismatch}: expected ${chainId}, got ${raw.chain_id.chainId}`,
      "wrong chain id",
      payer,
    );

  // The key is read now (cheap); its signature is verified last, after every cheaper check.
  const senderKey = readSenderKey(transaction, senderAuthenticator);
  if (!senderKey.ok) return fail(senderKey.reason, senderKey.message, payer);

  const maxFee = context.maxFee ?? context.maxGasAmount * context.maxGasUnitPrice;
  if (sponsored) {
    if (raw.max_gas_amount > context.maxGasAmount)
      return fail(
        `${R.GasTooHigh}: ${raw.max_gas_amount} > ${context.maxGasAmount}`,
        "max_gas_amount too high",
        payer,
      );
    if (raw.gas_unit_price > context.maxGasUnitPrice)
      return fail(
        `${R.GasUnitPriceTooHigh}: ${raw.gas_unit_price} > ${context.maxGasUnitPrice}`,
        "gas_unit_price too high",
        payer,
      );
    if (raw.max_gas_amount * raw.gas_unit_price > maxFee)
      return fail(`${R.GasTooHigh}: fee above ${maxFee} octas`, "fee bound exceeded", payer);
    if (!transaction.feePayerAddress?.equals(AccountAddress.from(feePayer)))
      return fail(R.FeePayerMismatch, "the transaction's fee payer is not extra.feePayer", payer);
    if (context.feePayers.some((address) => sameAddress(address, payer)))
      return fail(R.FeePayerTransferringFunds, "the sender is one of the facilitator's accounts", payer);
  } else if (transaction.feePayerAddress) {
    return fail(
      R.FeePayerMismatch,
      "the requirement does not sponsor, but the transaction names a fee payer",
      payer,
    );
  }
  if (raw.expiration_timestamp_secs < BigInt(context.nowSeconds + EXPIRATION_BUFFER_SECONDS))
    return fail(R.TransactionExpired, "the transaction expires too soon", payer);

  if (!entryFunction) return fail(R.MissingEntryFunction, "the payload is not an entry function", payer);
  const module = entryFunction.module_name;
  if (
    !module.address.equals(AccountAddress.ONE) ||
    module.name.identifier !== "primary_fungible_store" ||
    entryFunction.function_name.identifier !== "transfer"
  )
    return fail(R.WrongFunction, "only 0x1::primary_fungible_store::transfer is accepted", payer);
  if (
    entryFunction.type_args.length !== 1 ||
    entryFunction.type_args[0]?.toString() !== FUNGIBLE_ASSET_METADATA_TYPE
  )
    return fail(R.WrongTypeArgs, `the type argument must be ${FUNGIBLE_ASSET_METADATA_TYPE}`, payer);
  const args = entryFunction.args.map((arg) => arg.bcsToBytes());
  if (args.length !== 3 || args[0]?.length !== 32 || args[1]?.length !== 32 || args[2]?.length !== 8)
    return fail(R.WrongArgs, "expected (metadata: address, recipient: address, amount: u64)", payer);
  const [metadataArg, recipientArg, amountArg] = args as [Uint8Array, Uint8Array, Uint8Array];
  if (!AccountAddress.from(metadataArg).equals(AccountAddress.from(asset)))
    return fail(R.AssetMismatch, "the transfer moves another asset", payer);
  if (new Deserializer(amountArg).deserializeU64().toString(10) !== BigInt(amount).toString(10))
    return fail(R.AmountMismatch, `the transfer is not of exactly ${amount}`, payer);
  if (!AccountAddress.from(recipientArg).equals(AccountAddress.from(payTo)))
    return fail(R.RecipientMismatch, "the transfer pays someone else", payer);
  if (sponsored && raw.sender.equals(AccountAddress.from(payTo)))
    return fail(R.SenderIsRecipient, "a sponsored payment to oneself only burns the sponsor's gas", payer);
  const signature = senderKey.verifySignature();
  if (!signature.ok) return fail(signature.reason, signature.message, payer);
  return { ok: true, checked: { payment, payer, publicKey: signature.publicKey, sponsored } };
}

function sameAddress(a: string, b: string): boolean {
  try {
    return AccountAddress.from(a).equals(AccountAddress.from(b));
  } catch {
    return false;
  }
}
