/** Which origins may read responses: `"*"`, one origin, a list, or a predicate. */
export type CorsOrigin = "*" | string | readonly string[] | ((origin: string) => boolean);

/** Options of {@link createCorsPolicy}; every field has an x402-ready default. */
export interface CorsOptions {
  /** Default `"*"`. With a list or a predicate the matching origin is reflected and `Vary: Origin` added. */
  origin?: CorsOrigin;
  /** Methods a preflight allows. Default GET HEAD POST PUT PATCH DELETE OPTIONS. */
  methods?: readonly string[];
  /** Request headers allowed in addition to the defaults (`PAYMENT-SIGNATURE`, `X-PAYMENT`, `Content-Type`, `Authorization`, `SIGN-IN-WITH-X`). */
  allowedHeaders?: readonly string[];
  /** Response headers exposed in addition to the defaults (`PAYMENT-REQUIRED`, `PAYMENT-RESPONSE`, `X-PAYMENT-RESPONSE`). */
  exposedHeaders?: readonly string[];
  /** Send `Access-Control-Allow-Credentials: true` (the origin is then always reflected, never `*`). */
  credentials?: boolean;
  /** Seconds a browser may cache a preflight. Default 600. */
  maxAge?: number;
}

/** A CORS preflight as the policy reads it (header values as received, if any). */
export interface PreflightRequest {
  method: string;
  origin: string | undefined;
  /** `Access-Control-Request-Method`. */
  requestMethod: string | undefined;
  /** `Access-Control-Request-Headers`. */
  requestHeaders?: string | undefined;
}

/** The answer to a preflight: send it as is, never priced, never passed to the payment middleware. */
export interface PreflightResponse {
  status: 204;
  headers: Record<string, string>;
}

/** CORS for x402 apps, framework-free: each adapter's `paymentCors()` applies it. */
export interface CorsPolicy {
  /** The 204 for a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`), else `undefined`. */
  preflight(request: PreflightRequest): PreflightResponse | undefined;
  /** Headers for every other response (402s included), so browsers can read the x402 headers. */
  responseHeaders(origin: string | undefined): Record<string, string>;
}

const DEFAULT_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const DEFAULT_ALLOWED = ["PAYMENT-SIGNATURE", "X-PAYMENT", "SIGN-IN-WITH-X", "Content-Type", "Authorization"];
const DEFAULT_EXPOSED = ["PAYMENT-REQUIRED", "PAYMENT-RESPONSE", "X-PAYMENT-RESPONSE"];

/**
 * A CORS policy with x402's headers built in: browsers may send `PAYMENT-SIGNATURE` and read
 * `PAYMENT-REQUIRED` / `PAYMENT-RESPONSE`. Preflights get a 204 of their own, so they are
 * never priced. Headers are computed once; only the origin varies per request.
 *
 * @example
 * ```ts
 * const cors = createCorsPolicy({ origin: ["https://app.example"] });
 * const preflight = cors.preflight({ method: "OPTIONS", origin, requestMethod: "GET" });
 * if (preflight) return new Response(null, preflight);
 * const headers = cors.responseHeaders(origin); // add to the response, 402s included
 * ```
 */
export function createCorsPolicy(options: CorsOptions = {}): CorsPolicy {
  const allowOrigin = originMatcher(options.origin ?? "*", options.credentials === true);
  const exposed = unique([...DEFAULT_EXPOSED, ...(options.exposedHeaders ?? [])]).join(", ");
  const preflightExtra: Record<string, string> = {
    "access-control-allow-methods": (options.methods ?? DEFAULT_METHODS).join(", "),
    "access-control-allow-headers": unique([...DEFAULT_ALLOWED, ...(options.allowedHeaders ?? [])]).join(
      ", ",
    ),
    "access-control-max-age": String(options.maxAge ?? 600),
  };

  const base = (origin: string | undefined): Record<string, string> => {
    const headers: Record<string, string> = {};
    const allowed = allowOrigin.value(origin);
    if (allowed !== undefined) {
      headers["access-control-allow-origin"] = allowed;
      if (options.credentials) headers["access-control-allow-credentials"] = "true";
    }
    if (allowOrigin.varies) headers.vary = "Origin";
    return headers;
  };

  return {
    preflight({ method, origin, requestMethod }) {
      if (method.toUpperCase() !== "OPTIONS" || !requestMethod) return undefined;
      const headers = base(origin);
      // A refused origin still gets its 204 (unpriced); without allow headers the browser stops there.
      if (headers["access-control-allow-origin"] !== undefined) Object.assign(headers, preflightExtra);
      return { status: 204, headers };
    },
    responseHeaders(origin) {
      const headers = base(origin);
      if (headers["access-control-allow-origin"] !== undefined)
        headers["access-control-expose-headers"] = exposed;
      return headers;
    },
  };
}

interface OriginMatcher {
  /** True when the answer depends on the request's origin (caches must key on it). */
  varies: boolean;
  value(origin: string | undefined): string | undefined;
}

function originMatcher(origin: CorsOrigin, credentials: boolean): OriginMatcher {
  if (origin === "*" && !credentials) return { varies: false, value: () => "*" };
  const allows =
    origin === "*"
      ? () => true
      : typeof origin === "function"
        ? origin
        : (candidate: string) => (typeof origin === "string" ? [origin] : origin).includes(candidate);
  return { varies: true, value: (o) => (o !== undefined && allows(o) ? o : undefined) };
}

function unique(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
