import { X402Error } from "../errors.js";
import type { Network, Price, SettleResponse } from "../protocol/types.js";

/**
 * The official SDK's request adapter: hooks and dynamic prices written against `@x402/*`
 * read the request through it.
 */
export interface HTTPAdapter {
  getHeader(name: string): string | undefined;
  getMethod(): string;
  getPath(): string;
  getUrl(): string;
  getAcceptHeader(): string;
  getUserAgent(): string;
  getQueryParams?(): Record<string, string | string[]>;
  getQueryParam?(name: string): string | string[] | undefined;
  getBody?(): unknown;
}

/** What a dynamic `payTo` / `price`, a response-body callback or a protected-request hook receives. */
export interface RequestContext {
  method: string;
  /** Normalised path. */
  path: string;
  /** Full request URL. */
  url: string;
  getHeader(name: string): string | undefined;
  /** The framework's own request object, for adapters that pass it. */
  request?: unknown;
  /** The request behind the official adapter interface. */
  adapter: HTTPAdapter;
  /** The `PAYMENT-SIGNATURE` value, if any. */
  paymentHeader?: string;
  /** The key of the matched route, e.g. `"GET /weather/:city"`. */
  routePattern: string;
}

/** A value fixed in the route table, or computed per request (must be deterministic). */
export type Dynamic<T> = T | ((context: RequestContext) => T | Promise<T>);

/** One way to pay for a route; becomes one `accepts[]` entry. */
export interface PaymentOption {
  scheme: string;
  network: Network;
  payTo: Dynamic<string>;
  price: Dynamic<Price>;
  /** Default 300. */
  maxTimeoutSeconds?: number;
  extra?: Record<string, unknown>;
}

/** A response body chosen by the route: a content type and a string (sent as is) or a value (sent as JSON). */
export interface CustomBody {
  contentType: string;
  body: unknown;
}

/** The payment terms of one route. */
export interface RouteConfig {
  accepts: PaymentOption | readonly PaymentOption[];
  /** Overrides `resource.url` (default: the request URL). */
  resource?: string;
  description?: string;
  mimeType?: string;
  /** HTML for the unpaid 402 sent to browsers (`Accept: text/html` and a `Mozilla` user agent). */
  customPaywallHtml?: string;
  /** Body of the unpaid 402 for API clients (default `{}`). */
  unpaidResponseBody?: (context: RequestContext) => CustomBody | Promise<CustomBody>;
  /** Body of the 402 sent when settlement fails (default `{}`); gets the failed receipt. */
  settlementFailedResponseBody?: (
    context: RequestContext,
    settleResult: SettleResponse,
  ) => CustomBody | Promise<CustomBody>;
  /** Extension declarations, sent as `PaymentRequired.extensions` (enriched by registered extensions). */
  extensions?: Record<string, unknown>;
  /**
   * When to settle. `"after-handler"` (default): verify → handler (output held) → settle;
   * a handler answering ≥ 400 is not charged, a failed settlement withholds its output.
   * `"before-handler"`: verify → settle → handler, which then writes freely (streams, SSE,
   * side effects that cannot be undone); a failed settlement answers 402 and the handler never runs.
   */
  settlementPhase?: "after-handler" | "before-handler";
}

/** Routes keyed by `"GET /path"` (or just `"/path"` for every method), or one config for every path. */
export type RoutesConfig = Record<string, RouteConfig> | RouteConfig;

/** A route compiled once: its matcher and its options. */
export interface CompiledRoute {
  key: string;
  /** Upper-case method, or `undefined` for any method. */
  method: string | undefined;
  pattern: RegExp;
  config: RouteConfig;
  options: readonly PaymentOption[];
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "*"]);

/**
 * Compile a route table. Patterns: `*` (any characters, also `/`), `:name` and `[name]`
 * (one segment), `[...name]` (one or more segments), `[[...name]]` (zero or more); matching is anchored and case-insensitive; a trailing `/*` also matches
 * the bare prefix.
 *
 * @example
 * ```ts
 * const routes = compileRoutes({ "GET /weather": { accepts: { scheme: "exact", network, payTo, price: "$0.01" } } });
 * findRoute(routes, "GET", "/weather"); // → the compiled route
 * ```
 */
export function compileRoutes(routes: RoutesConfig): CompiledRoute[] {
  const table: Record<string, RouteConfig> =
    "accepts" in routes ? { "*": routes as RouteConfig } : (routes as Record<string, RouteConfig>);
  return Object.entries(table).map(([key, config]) => {
    const [first, ...rest] = key.trim().split(/\s+/);
    const hasMethod = rest.length > 0;
    const method = hasMethod ? (first as string).toUpperCase() : undefined;
    if ((method && !METHODS.has(method)) || rest.length > 1)
      throw new X402Error("invalid_route_config", `route "${key}" must be "<METHOD> <path>" or "<path>"`);
    const path = hasMethod ? (rest[0] as string) : (first as string);
    const options = Array.isArray(config.accepts) ? config.accepts : [config.accepts as PaymentOption];
    if (options.length === 0)
      throw new X402Error("invalid_route_config", `route "${key}" accepts no payment option`);
    return {
      key,
      method: method === "*" ? undefined : method,
      pattern: compilePattern(path),
      config,
      options,
    };
  });
}

/**
 * The first route matching a request, if any. A method-less route prices every method,
 * `OPTIONS` included (a handler that serves all methods must not serve it unpaid); browsers'
 * preflights are answered before pricing by the adapters' `paymentCors()`.
 * @example
 * ```ts
 * const route = findRoute(compileRoutes(routes), "GET", normalizePath("/weather?city=x"));
 * ```
 */
export function findRoute(
  routes: readonly CompiledRoute[],
  method: string,
  path: string,
): CompiledRoute | undefined {
  const upper = method.toUpperCase();
  for (const route of routes) {
    // HEAD runs GET handlers in most frameworks, so a GET price covers HEAD too.
    if (route.method && route.method !== upper && !(route.method === "GET" && upper === "HEAD")) continue;
    if (route.pattern.test(path)) return route;
  }
  return undefined;
}

// `scheme://authority` of an absolute-form request target (RFC 9112 §3.2.2), as proxies send.
const ABSOLUTE_FORM_PREFIX = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/**
 * Normalise a request path before matching: keep only the path of an absolute-form target
 * (`http://host/weather` routes as `/weather`, as every framework does), drop query and
 * fragment, decode each segment (keeping encoded `/` and `\` escaped, so they cannot forge
 * segments), collapse `//`, drop a trailing `/`. Dot segments stay: frameworks route them literally.
 * @example
 * ```ts
 * normalizePath("//api/%77eather/?q=1"); // "/api/weather"
 * normalizePath("http://127.0.0.1:4021/weather"); // "/weather"
 * ```
 */
export function normalizePath(rawPath: string): string {
  const target = rawPath.replace(ABSOLUTE_FORM_PREFIX, "");
  const end = target.search(/[?#]/);
  const path = end < 0 ? target : target.slice(0, end);
  const segments = path
    .split("/")
    .filter((s) => s.length > 0)
    .map(decodeSegment);
  return `/${segments.join("/")}`;
}

function decodeSegment(segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return segment;
  }
  return decoded.replaceAll("%", "%25").replaceAll("/", "%2F").replaceAll("\\", "%5C");
}

function compilePattern(path: string): RegExp {
  const normalized = path === "*" ? "*" : normalizePath(path);
  let source = "";
  for (const token of normalized.split(/(\*|:[A-Za-z_][A-Za-z0-9_]*|\[\[\.\.\.[^\]]+\]\]|\[[^\]]+\])/)) {
    if (token === "*") source += ".*?";
    // Next.js catch-alls: `[...slug]` is one or more segments, `[[...slug]]` zero or more.
    else if (token.startsWith("[[...")) source = `${source.replace(/\/$/, "")}(?:/.+)?`;
    else if (token.startsWith("[...")) source += ".+";
    else if (token.startsWith(":") || (token.startsWith("[") && token.endsWith("]"))) source += "[^/]+";
    else source += token.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  }
  // "/api/*" also matches "/api".
  if (source.endsWith("/.*?")) source = `${source.slice(0, -4)}(?:/.*)?`;
  return new RegExp(`^${source}$`, "is");
}

/**
 * True when a route of the table declares the `bazaar` discovery extension (official helper:
 * adapters register the bazaar server extension then).
 * @example
 * ```ts
 * if (checkIfBazaarNeeded(routes) && !server.hasExtension("bazaar")) server.registerExtension(bazaar);
 * ```
 */
export function checkIfBazaarNeeded(routes: RoutesConfig): boolean {
  const configs: RouteConfig[] =
    "accepts" in routes ? [routes as RouteConfig] : Object.values(routes as Record<string, RouteConfig>);
  return configs.some((config) => config.extensions?.bazaar !== undefined);
}
