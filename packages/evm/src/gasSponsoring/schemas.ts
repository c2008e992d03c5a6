const address = (description: string) => ({ type: "string", pattern: "^0x[a-fA-F0-9]{40}$", description });
const digits = (description: string) => ({ type: "string", pattern: "^[0-9]+$", description });
const hex = (description: string) => ({ type: "string", pattern: "^0x[a-fA-F0-9]+$", description });
const version = { type: "string", pattern: "^[0-9]+(\\.[0-9]+)*$", description: "Schema version." };

/**
 * JSON Schema of the client-filled `eip2612GasSponsoring.info` (sent in the 402 declaration).
 *
 * @example
 * ```ts
 * declareEip2612GasSponsoringExtension().eip2612GasSponsoring.schema === eip2612GasSponsoringSchema; // true
 * ```
 */
export const eip2612GasSponsoringSchema: Record<string, unknown> = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  properties: {
    from: address("Token owner (the payer)."),
    asset: address("ERC-20 token with EIP-2612 permit."),
    spender: address("Canonical Permit2."),
    amount: digits("Approved value; the payment amount."),
    nonce: digits("The owner's EIP-2612 nonce."),
    deadline: digits("Unix seconds after which the permit is void."),
    signature: hex("65-byte r‖s‖v signature of the permit."),
    version,
  },
  required: ["from", "asset", "spender", "amount", "nonce", "deadline", "signature", "version"],
};

/**
 * JSON Schema of the client-filled `erc20ApprovalGasSponsoring.info` (sent in the 402 declaration).
 *
 * @example
 * ```ts
 * declareErc20ApprovalGasSponsoringExtension().erc20ApprovalGasSponsoring.schema === erc20ApprovalGasSponsoringSchema; // true
 * ```
 */
export const erc20ApprovalGasSponsoringSchema: Record<string, unknown> = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  properties: {
    from: address("Token owner (the payer) who signed the transaction."),
    asset: address("ERC-20 token to approve."),
    spender: address("Canonical Permit2."),
    amount: digits("Approved value (max uint256)."),
    signedTransaction: hex("Signed, unbroadcast EIP-1559 approve(Permit2, amount) transaction."),
    version,
  },
  required: ["from", "asset", "spender", "amount", "signedTransaction", "version"],
};

/** Does `info` satisfy a schema above (required string fields matching their patterns)? */
export function matchesSchema(info: unknown, schema: Record<string, unknown>): boolean {
  if (typeof info !== "object" || info === null || Array.isArray(info)) return false;
  const properties = schema.properties as Record<string, { pattern: string }>;
  for (const key of schema.required as string[]) {
    const value = (info as Record<string, unknown>)[key];
    const rule = properties[key];
    if (typeof value !== "string" || !rule || !new RegExp(rule.pattern).test(value)) return false;
  }
  return true;
}
