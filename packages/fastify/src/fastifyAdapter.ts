import type { HTTPAdapter, HttpRequest } from "@x402kit/core/server";
import type { FastifyRequest } from "fastify";

const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\//i;
// find-my-way pattern tokens: `:name` (optionally with a `(regex)`), `*`; `::` is a literal colon.
const PATTERN_TOKEN = /::|:([A-Za-z0-9_]+)(?:\((?:\\.|[^)])*\))?|\*/g;

/**
 * A fastify request as the pipeline reads it (our `HttpRequest`) and as hooks written for the
 * official SDK read it (`HTTPAdapter`). The priced path is the route fastify matched, filled
 * with the request's parameters — so case folding, trailing or doubled slashes and
 * percent-decoding are decided by fastify's own router, never by a second parse of the target.
 *
 * @example
 * ```ts
 * app.addHook("onRequest", async (request) => {
 *   const result = await http.processRequest(new FastifyAdapter(request));
 * });
 * ```
 */
export class FastifyAdapter implements HttpRequest, HTTPAdapter {
  readonly method: string;
  readonly path: string;

  constructor(readonly request: FastifyRequest) {
    this.method = request.method;
    this.path = routedPath(request);
  }

  get adapter(): HTTPAdapter {
    return this;
  }

  /** Built only for 402s. */
  get url(): string {
    const target = this.request.url;
    if (ABSOLUTE_FORM.test(target)) return target;
    return `${this.request.protocol}://${this.request.host || "localhost"}${target}`;
  }

  getHeader(name: string): string | undefined {
    const value = this.request.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(", ") : value;
  }
  getMethod(): string {
    return this.method;
  }
  getPath(): string {
    return this.path;
  }
  getUrl(): string {
    return this.url;
  }
  getAcceptHeader(): string {
    return this.getHeader("accept") ?? "";
  }
  getUserAgent(): string {
    return this.getHeader("user-agent") ?? "";
  }
  getQueryParams(): Record<string, string | string[]> {
    return (this.request.query ?? {}) as Record<string, string | string[]>;
  }
  getQueryParam(name: string): string | string[] | undefined {
    return this.getQueryParams()[name];
  }
  getBody(): unknown {
    return this.request.body;
  }
}

/**
 * The path fastify routed: its matched pattern with the parameters put back (re-encoded, so a
 * decoded `/` inside a parameter cannot forge a segment). Without a matched route (404) the
 * raw path: no handler of the app runs then.
 */
function routedPath(request: FastifyRequest): string {
  const pattern = request.routeOptions.url;
  if (pattern === undefined) return request.url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, "");
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  return pattern.replace(PATTERN_TOKEN, (token, name: string | undefined) => {
    if (token === "::") return ":";
    if (name !== undefined) return encodeURIComponent(params[name] ?? "");
    return (params["*"] ?? "").split("/").map(encodeURIComponent).join("/");
  });
}
