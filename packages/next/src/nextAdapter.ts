import type { HTTPAdapter, HttpRequest } from "@x402kit/core/server";
import type { NextRequest } from "next/server";

/**
 * A Next.js request as the pipeline reads it (our `HttpRequest`) and as hooks written for the
 * official SDK read it (`HTTPAdapter`). The priced path is the one Next routes: `nextUrl`
 * (base path included), after Next has resolved dot segments and redirected slash variants.
 *
 * @example
 * ```ts
 * const result = await http.processRequest(new NextAdapter(request));
 * ```
 */
export class NextAdapter implements HttpRequest, HTTPAdapter {
  readonly method: string;
  readonly path: string;

  constructor(readonly request: NextRequest) {
    this.method = request.method;
    this.path = request.nextUrl.basePath + request.nextUrl.pathname;
  }

  get adapter(): HTTPAdapter {
    return this;
  }

  get url(): string {
    return this.request.url;
  }

  getHeader(name: string): string | undefined {
    return this.request.headers.get(name) ?? undefined;
  }
  getMethod(): string {
    return this.method;
  }
  getPath(): string {
    return this.path;
  }
  getUrl(): string {
    return this.request.url;
  }
  getAcceptHeader(): string {
    return this.request.headers.get("accept") ?? "";
  }
  getUserAgent(): string {
    return this.request.headers.get("user-agent") ?? "";
  }
  getQueryParams(): Record<string, string | string[]> {
    const params: Record<string, string | string[]> = {};
    for (const [key, value] of this.request.nextUrl.searchParams) {
      const existing = params[key];
      params[key] =
        existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
    return params;
  }
  getQueryParam(name: string): string | string[] | undefined {
    return this.getQueryParams()[name];
  }
  /** The body parsed as JSON (from a clone, so the handler can still read it); `undefined` if it is not JSON. */
  async getBody(): Promise<unknown> {
    try {
      return await this.request.clone().json();
    } catch {
      return undefined;
    }
  }
}
