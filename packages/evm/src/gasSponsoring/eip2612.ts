import { isRecord } from "../exact/payload.js";
import { eip2612GasSponsoringSchema, matchesSchema } from "./schemas.js";

/** Extension key of EIP-2612 gas sponsoring. */
const KEY = "eip2612GasSponsoring";

/**
 * The facilitator extension of EIP-2612 gas sponsoring: register it so `/supported` lists the
 * key (the EVM schemes handle the payload part; it carries no capability).
 *
 * @example
 * ```ts
 * facilitator.registerExtension(EIP2612_GAS_SPONSORING);
 * ```
 */
export const EIP2612_GAS_SPONSORING = { key: KEY } as const;

/**
 * The client-filled info of `eip2612GasSponsoring`: an EIP-2612 permit of the payer for Permit2.
 *
 * @example
 * ```ts
 * const info = extractEip2612GasSponsoringInfo(paymentPayload);
 * if (info) console.log(info.deadline);
 * ```
 */
export interface Eip2612GasSponsoringInfo {
  [key: string]: unknown;
  from: string;
  asset: string;
  spender: string;
  amount: string;
  nonce: string;
  deadline: string;
  signature: string;
  version: string;
}

/** The server's declaration info: what is offered, not yet filled in. */
export interface Eip2612GasSponsoringServerInfo {
  [key: string]: unknown;
  description: string;
  version: string;
}

/**
 * `PaymentRequired.extensions.eip2612GasSponsoring` / `PaymentPayload.extensions.eip2612GasSponsoring`.
 *
 * @example
 * ```ts
 * const extension: Eip2612GasSponsoringExtension = declareEip2612GasSponsoringExtension().eip2612GasSponsoring;
 * ```
 */
export interface Eip2612GasSponsoringExtension {
  info: Eip2612GasSponsoringServerInfo | Eip2612GasSponsoringInfo;
  schema: Record<string, unknown>;
}

/**
 * The route declaration of EIP-2612 gas sponsoring: put it in a route's `extensions` when the
 * facilitator lists `eip2612GasSponsoring` in `/supported` and the price is a Permit2 token
 * with EIP-2612 (`extra.assetTransferMethod: "permit2"`, `extra.name`/`version`).
 *
 * @example
 * ```ts
 * const route = { accepts: { scheme: "exact", price, network, payTo }, extensions: { ...declareEip2612GasSponsoringExtension() } };
 * ```
 */
export function declareEip2612GasSponsoringExtension(): Record<string, Eip2612GasSponsoringExtension> {
  return {
    [KEY]: {
      info: {
        description:
          "The facilitator submits an EIP-2612 permit of the payer for the canonical Permit2 with the payment.",
        version: "1",
      },
      schema: eip2612GasSponsoringSchema,
    },
  };
}

/**
 * The client-filled info of a payment's `eip2612GasSponsoring`, or `null` when absent or when
 * a required field is missing (formats are checked by {@link validateEip2612GasSponsoringInfo}).
 *
 * @example
 * ```ts
 * const info = extractEip2612GasSponsoringInfo(paymentPayload);
 * ```
 */
export function extractEip2612GasSponsoringInfo(paymentPayload: unknown): Eip2612GasSponsoringInfo | null {
  const extensions = isRecord(paymentPayload) ? paymentPayload.extensions : undefined;
  const extension = isRecord(extensions) ? extensions[KEY] : undefined;
  const info = isRecord(extension) ? extension.info : undefined;
  if (!isRecord(info)) return null;
  const required = eip2612GasSponsoringSchema.required as string[];
  return required.every((key) => key in info) ? (info as Eip2612GasSponsoringInfo) : null;
}

/**
 * True when every field of the info has its format (addresses, decimal numbers, hex signature,
 * version).
 *
 * @example
 * ```ts
 * if (!validateEip2612GasSponsoringInfo(info)) return { isValid: false, invalidReason: "invalid_eip2612_extension_format" };
 * ```
 */
export function validateEip2612GasSponsoringInfo(info: Eip2612GasSponsoringInfo): boolean {
  return matchesSchema(info, eip2612GasSponsoringSchema);
}
