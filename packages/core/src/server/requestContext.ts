import type { CompiledRoute, HTTPAdapter, RequestContext } from "./routes.js";

/** A request as every adapter describes it. */
export interface HttpRequest {
  method: string;
  /** The path the framework routes (optionally with query string). */
  path: string;
  /** Full URL (used as `resource.url` unless the route sets one); may be a getter, read only for 402s. */
  url: string;
  /** Case-insensitive header lookup. */
  getHeader(name: string): string | undefined;
  /** The framework's request object, passed to dynamic prices and hooks. */
  request?: unknown;
  /** The official adapter interface, when the adapter has one (else one is derived on demand). */
  adapter?: HTTPAdapter;
}

/** The official SDK's request context, which {@link x402HTTPResourceServer.processHTTPRequest} also takes. */
export interface HTTPRequestContext {
  adapter: HTTPAdapter;
  path: string;
  method: string;
  paymentHeader?: string;
  routePattern?: string;
}

/**
 * Our request description from either shape.
 * @example
 * ```ts
 * const request = toHttpRequest({ adapter, path: adapter.getPath(), method: adapter.getMethod() });
 * ```
 */
export function toHttpRequest(context: HttpRequest | HTTPRequestContext): HttpRequest {
  if ("getHeader" in context) return context;
  const { adapter } = context;
  return {
    method: context.method,
    path: context.path,
    get url() {
      return adapter.getUrl();
    },
    getHeader: (name) => adapter.getHeader(name),
    adapter,
  };
}

/**
 * The context of one request to a priced route: what dynamic prices, response-body
 * callbacks, hooks and schemes see. Lazy where it can be (the URL is built only for 402s).
 */
export class PaidRequestContext implements RequestContext {
  #adapter: HTTPAdapter | undefined;

  constructor(
    private readonly source: HttpRequest,
    readonly path: string,
    readonly route: CompiledRoute,
    readonly paymentHeader: string | undefined,
  ) {}

  getHeader(name: string): string | undefined {
    return this.source.getHeader(name);
  }

  get method(): string {
    return this.source.method;
  }
  get url(): string {
    return this.source.url;
  }
  get request(): unknown {
    return this.source.request;
  }
  get routePattern(): string {
    return this.route.key;
  }
  get adapter(): HTTPAdapter {
    this.#adapter ??= this.source.adapter ?? derivedAdapter(this);
    return this.#adapter;
  }
}

function derivedAdapter(context: PaidRequestContext): HTTPAdapter {
  return {
    getHeader: (name) => context.getHeader(name),
    getMethod: () => context.method,
    getPath: () => context.path,
    getUrl: () => context.url,
    getAcceptHeader: () => context.getHeader("accept") ?? "",
    getUserAgent: () => context.getHeader("user-agent") ?? "",
    getQueryParams: () => queryParams(context.url),
    getQueryParam: (name) => queryParams(context.url)[name],
  };
}

function queryParams(url: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  let search: URLSearchParams;
  try {
    search = new URL(url, "http://localhost").searchParams;
  } catch {
    return params;
  }
  for (const [key, value] of search) {
    const existing = params[key];
    params[key] =
      existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return params;
}
