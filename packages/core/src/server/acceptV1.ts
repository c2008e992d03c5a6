// The server's opt-in for x402 v1 clients: a v1 402 body beside the v2 header, `X-PAYMENT`
// accepted by turning it into the v2 payload of the offer it names, `X-PAYMENT-RESPONSE` receipts.
import { describeError } from "../errors.js";
import { decodeXPaymentHeader, encodeHeaderJson, X_PAYMENT_RESPONSE_HEADER } from "../http/headers.js";
import type {
  PaymentPayload,
  PaymentRequired,
  PaymentRequiredV1,
  PaymentRequirements,
  PaymentRequirementsV1,
  SettleResponse,
} from "../protocol/types.js";

/**
 * Opt-in to serve x402 v1 clients (`x402-fetch` 1.x and the like), off by default. With it the
 * server also answers 402s with a v1 body `{ x402Version: 1, error, accepts }` (offers on
 * networks with a v1 name; the v2 `PAYMENT-REQUIRED` header stays), takes an `X-PAYMENT` header
 * when no `PAYMENT-SIGNATURE` is present, and adds `X-PAYMENT-RESPONSE` to the receipt. A v1
 * payment runs the v2 pipeline unchanged: it becomes the v2 payload of the offer with the same
 * scheme and network, so the facilitator is asked in v2.
 *
 * @example
 * ```ts
 * import { evmNetworkNameV1 } from "@x402kit/evm/v1";
 * const http = new x402HTTPResourceServer(server, routes, { acceptV1: { networkName: evmNetworkNameV1 } });
 * ```
 */
export interface AcceptV1Options {
  /** The v1 name of a v2 network (`eip155:84532` → `base-sepolia`); `undefined`: not offered to v1 clients. */
  networkName(network: string): string | undefined;
}

/** The v1 402 body for a v2 PaymentRequired: offers with a v1 network name, `maxAmountRequired`, resource per offer. */
export function toPaymentRequiredV1(required: PaymentRequired, v1: AcceptV1Options): PaymentRequiredV1 {
  const accepts: PaymentRequirementsV1[] = [];
  for (const offer of required.accepts) {
    const network = v1.networkName(offer.network);
    if (!network) continue;
    accepts.push({
      scheme: offer.scheme,
      network,
      maxAmountRequired: offer.amount,
      resource: required.resource.url,
      description: required.resource.description ?? "",
      mimeType: required.resource.mimeType ?? "",
      payTo: offer.payTo,
      maxTimeoutSeconds: offer.maxTimeoutSeconds,
      asset: offer.asset,
      extra: offer.extra ?? {},
    });
  }
  return { x402Version: 1, error: required.error ?? "Payment required", accepts };
}

/**
 * The v2 payload a v1 `X-PAYMENT` header stands for: its `payload`, accepting the offer with the
 * same scheme and network (v1 names only those) whose recipient, amount and asset fit what the
 * payload names (`to`/`payTo`, `value`/`amount`, `token`/`asset` anywhere in its first levels;
 * with no fit, the first such offer, whose checks then refuse it), or a reason why there is none.
 */
export function fromXPaymentHeader(
  header: string,
  accepts: readonly PaymentRequirements[],
  v1: AcceptV1Options,
): { payload: PaymentPayload } | { reason: string; message: string; status?: number } {
  let legacy: ReturnType<typeof decodeXPaymentHeader>;
  try {
    legacy = decodeXPaymentHeader(header);
  } catch (error) {
    return { reason: "invalid_payload", message: `X-PAYMENT: ${describeError(error)}`, status: 400 };
  }
  const candidates = accepts.filter(
    (a) => a.scheme === legacy.scheme && v1.networkName(a.network) === legacy.network,
  );
  // Several offers on one scheme and network (two prices, two tokens): the one the payload pays.
  const hints = paymentHints(legacy.payload);
  const offer = candidates.find((a) => fits(a, hints)) ?? candidates[0];
  if (!offer)
    return {
      reason: "no_matching_requirements",
      message: `no offer for ${legacy.scheme} on ${legacy.network}`,
    };
  return { payload: { x402Version: 2, accepted: offer, payload: legacy.payload } };
}

/** `X-PAYMENT-RESPONSE` for a v1 client: the receipt with the v1 network name. */
export function xPaymentResponseHeaders(settle: SettleResponse, v1: AcceptV1Options): Record<string, string> {
  const network = v1.networkName(settle.network) ?? settle.network;
  return { [X_PAYMENT_RESPONSE_HEADER]: encodeHeaderJson({ ...settle, network }) };
}

interface PaymentHints {
  recipients: Set<string>;
  amounts: Set<string>;
  assets: Set<string>;
}

/** Recipient, amount and asset fields a scheme payload names (EVM EIP-3009 and Permit2 use these names). */
function paymentHints(payload: unknown): PaymentHints {
  const hints: PaymentHints = { recipients: new Set(), amounts: new Set(), assets: new Set() };
  const walk = (value: unknown, depth: number) => {
    if (depth > 3 || typeof value !== "object" || value === null || Array.isArray(value)) return;
    for (const [key, field] of Object.entries(value)) {
      if (typeof field === "string") {
        if (key === "to" || key === "payTo") hints.recipients.add(field.toLowerCase());
        else if ((key === "value" || key === "amount") && /^\d{1,78}$/.test(field))
          hints.amounts.add(BigInt(field).toString());
        else if (key === "token" || key === "asset") hints.assets.add(field.toLowerCase());
      } else walk(field, depth + 1);
    }
  };
  walk(payload, 0);
  return hints;
}

function fits(offer: PaymentRequirements, hints: PaymentHints): boolean {
  const amount = /^\d{1,78}$/.test(offer.amount) ? BigInt(offer.amount).toString() : offer.amount;
  return (
    (hints.recipients.size === 0 || hints.recipients.has(offer.payTo.toLowerCase())) &&
    (hints.amounts.size === 0 || hints.amounts.has(amount)) &&
    (hints.assets.size === 0 || hints.assets.has(offer.asset.toLowerCase()))
  );
}
