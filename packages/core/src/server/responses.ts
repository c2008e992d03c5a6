import { encodeHeaderJson, PAYMENT_REQUIRED_HEADER, PAYMENT_RESPONSE_HEADER } from "../http/headers.js";
import type { PaymentRequired, SettleResponse } from "../protocol/types.js";
import type { CustomBody } from "./routes.js";

/** A response the adapter sends as is. */
export interface HttpResponseInstructions {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** True for the browser paywall page. */
  isHtml?: boolean;
}

const JSON_TYPE = "application/json; charset=utf-8";

/** `Cache-Control` of every 402: never stored (official constant). */
export const PAYMENT_REQUIRED_CACHE_CONTROL = "no-store";

/**
 * `Cache-Control` with `private` added, for responses carrying a user's settlement receipt.
 * @example
 * ```ts
 * withPrivateCacheControl("max-age=60"); // "max-age=60, private"
 * ```
 */
export function withPrivateCacheControl(value: string | null | undefined): string {
  const directives = (value ?? "")
    .split(",")
    .map((d) => d.trim())
    .filter((d) => d !== "" && d.toLowerCase() !== "public");
  if (!directives.some((d) => /^(private|no-store)$/i.test(d))) directives.push("private");
  return directives.join(", ");
}

/**
 * A JSON response with x402's no-store caching.
 * @example
 * ```ts
 * return jsonResponse(403, { error: "forbidden" });
 * ```
 */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponseInstructions {
  return {
    status,
    headers: { "content-type": JSON_TYPE, "cache-control": PAYMENT_REQUIRED_CACHE_CONTROL, ...headers },
    body: JSON.stringify(body),
  };
}

/** A 402 (or other status) carrying `PAYMENT-REQUIRED`, with a custom or JSON body. */
export function paymentRequiredResponse(
  paymentRequired: PaymentRequired,
  status = 402,
  body: CustomBody | Record<string, unknown> = {},
): HttpResponseInstructions {
  const headers = { [PAYMENT_REQUIRED_HEADER]: encodeHeaderJson(paymentRequired) };
  return isCustomBody(body) ? customResponse(status, headers, body) : jsonResponse(status, body, headers);
}

/** The unpaid 402 for a browser: the paywall page, with `PAYMENT-REQUIRED` for wallets that read it. */
export function paywallResponse(paymentRequired: PaymentRequired, html: string): HttpResponseInstructions {
  return {
    ...customResponse(
      402,
      { [PAYMENT_REQUIRED_HEADER]: encodeHeaderJson(paymentRequired) },
      {
        contentType: "text/html; charset=utf-8",
        body: html,
      },
    ),
    isHtml: true,
  };
}

/** The 402 sent when settlement failed: the receipt says why, the handler's output is withheld. */
export function settlementFailedResponse(
  settle: SettleResponse,
  body: CustomBody | undefined,
): HttpResponseInstructions {
  const headers = { [PAYMENT_RESPONSE_HEADER]: encodeHeaderJson(settle) };
  if (body) return customResponse(402, headers, body);
  return jsonResponse(
    402,
    { error: settle.errorReason ?? "settlement_failed", message: settle.errorMessage },
    headers,
  );
}

function customResponse(
  status: number,
  headers: Record<string, string>,
  body: CustomBody,
): HttpResponseInstructions {
  return {
    status,
    headers: {
      ...headers,
      "content-type": body.contentType,
      "cache-control": PAYMENT_REQUIRED_CACHE_CONTROL,
    },
    body: typeof body.body === "string" ? body.body : JSON.stringify(body.body ?? null),
  };
}

function isCustomBody(value: unknown): value is CustomBody {
  return typeof value === "object" && value !== null && "contentType" in value && "body" in value;
}
