import {
  AccountAddress,
  EntryFunction,
  Identifier,
  ModuleId,
  StructTag,
  TransactionPayloadEntryFunction,
  TypeTagStruct,
  U64,
} from "@aptos-labs/ts-sdk";

/**
 * The payload of a payment: `0x1::primary_fungible_store::transfer<0x1::fungible_asset::Metadata>(asset, payTo, amount)`.
 *
 * @example
 * ```ts
 * const payload = transferPayload(USDC_TESTNET_FA, payTo, 10_000n);
 * ```
 */
export function transferPayload(
  asset: string,
  payTo: string,
  amount: bigint,
): TransactionPayloadEntryFunction {
  const metadata = new TypeTagStruct(
    new StructTag(AccountAddress.ONE, new Identifier("fungible_asset"), new Identifier("Metadata"), []),
  );
  return new TransactionPayloadEntryFunction(
    new EntryFunction(
      new ModuleId(AccountAddress.ONE, new Identifier("primary_fungible_store")),
      new Identifier("transfer"),
      [metadata],
      [AccountAddress.from(asset), AccountAddress.from(payTo), new U64(amount)],
    ),
  );
}
