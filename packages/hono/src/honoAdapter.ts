import type { HTTPAdapter, HttpRequest } from "@x402kit/core/server";
import type { Context } from "hono";

/**
 * A hono request as the pipeline reads it (our `HttpRequest`) and as hooks written for the
 * official SDK read it (`HTTPAdapter`). The priced path is `c.req.path`: the path hono's router
 * matched (decoded the way hono decodes it, trailing slash dropped when the app is not
 * `strict`, `basePath` and `app.route()` prefixes included), never our own parse of the URL.
 *
 * @example
 * ```ts
 * app.use(async (c, next) => {
 *   const result = await http.processRequest(new HonoAdapter(c));
 *   // …
 * });
 * ```
 */
export class HonoAdapter implements HttpRequest, HTTPAdapter {
  readonly method: string;
  readonly path: string;

  constructor(readonly request: Context) {
    this.method = request.req.method;
    this.path = request.req.path;
  }

  get adapter(): HTTPAdapter {
    return this;
  }

  /** The request URL as the runtime gave it (always absolute in the Fetch API). */
  get url(): string {
    return this.request.req.url;
  }

  getHeader(name: string): string | undefined {
    return this.request.req.header(name);
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
    return this.request.req.header("accept") ?? "";
  }
  getUserAgent(): string {
    return this.request.req.header("user-agent") ?? "";
  }
  getQueryParams(): Record<string, string | string[]> {
    const params: Record<string, string | string[]> = {};
    const all = this.request.req.queries();
    for (const name in all) {
      const values = all[name] as string[];
      params[name] = values.length === 1 ? (values[0] as string) : values;
    }
    return params;
  }
  getQueryParam(name: string): string | string[] | undefined {
    const values = this.request.req.queries(name);
    if (!values || values.length === 0) return undefined;
    return values.length === 1 ? values[0] : values;
  }
  /**
   * The request body: JSON for JSON requests, fields for forms, else text; `undefined` when it
   * cannot be read. hono caches it, so the handler can still read it.
   */
  async getBody(): Promise<unknown> {
    const type = this.request.req.header("content-type") ?? "";
    try {
      if (type.includes("json")) return await this.request.req.json();
      if (type.includes("form")) return await this.request.req.parseBody();
      return await this.request.req.text();
    } catch {
      return undefined;
    }
  }
}
