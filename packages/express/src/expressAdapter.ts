import type { HTTPAdapter, HttpRequest } from "@x402kit/core/server";
import type { Request } from "express";

const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * An express request as the pipeline reads it (our `HttpRequest`) and as hooks written for
 * the official SDK read it (`HTTPAdapter`). The priced path is the one express routes.
 *
 * @example
 * ```ts
 * const result = await http.processRequest(new ExpressAdapter(req));
 * ```
 */
export class ExpressAdapter implements HttpRequest, HTTPAdapter {
  readonly method: string;
  /** The path express routes (mount path included), never our own parse of the target. */
  readonly path: string;

  constructor(readonly request: Request) {
    this.method = request.method;
    this.path = request.baseUrl + request.path;
  }

  get adapter(): HTTPAdapter {
    return this;
  }

  /** Built only for 402s: express computes `protocol` on every read. */
  get url(): string {
    const target = this.request.originalUrl;
    if (ABSOLUTE_FORM.test(target)) return target;
    return `${this.request.protocol}://${this.request.get("host") ?? "localhost"}${target}`;
  }

  getHeader(name: string): string | undefined {
    return this.request.get(name);
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
    return this.request.get("accept") ?? "";
  }
  getUserAgent(): string {
    return this.request.get("user-agent") ?? "";
  }
  getQueryParams(): Record<string, string | string[]> {
    return this.request.query as Record<string, string | string[]>;
  }
  getQueryParam(name: string): string | string[] | undefined {
    return this.request.query[name] as string | string[] | undefined;
  }
  getBody(): unknown {
    return this.request.body;
  }
}
