import type { Response } from "express";

/** A handler's response, held back until the payment is settled. */
export interface HeldResponse {
  /** Send what the handler wrote, with `extraHeaders` added. */
  flush(extraHeaders?: Record<string, string>): void;
  /** Throw away what the handler wrote (and the headers it added) so the response can be written afresh. */
  discard(): void;
}

type Chunk = [chunk: unknown, encoding: BufferEncoding | undefined];

/**
 * Intercept `writeHead`/`write`/`end` so nothing reaches the client before settlement:
 * a handler's output must never be delivered for a payment that did not settle.
 * `onEnd` runs once, when the handler first ends its response. The patched methods stay in place
 * and forward once the hold is over, so the response object changes shape only once.
 */
export function holdResponse(res: Response, onEnd: () => void): HeldResponse {
  const { writeHead, write, end } = res;
  const chunks: Chunk[] = [];
  let head: unknown[] | undefined;
  let holding = true;
  let ended = false;
  // Headers set before the hold (CORS, say) belong to the app, not to the handler's answer.
  const headersBefore = new Set(res.getHeaderNames());
  const hold = (chunk: unknown, encoding: unknown) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== "function")
      chunks.push([chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : undefined]);
  };
  const callback = (...args: unknown[]) =>
    (args.find((a) => typeof a === "function") as (() => void) | undefined)?.();

  res.writeHead = function (this: Response, ...args: unknown[]) {
    if (!holding) return (writeHead as (...a: unknown[]) => Response).apply(this, args);
    // Headers passed to writeHead become ordinary response headers while held, so the pipeline
    // reads them (Settlement-Overrides) and discard() drops them with the rest.
    const [status, ...rest] = args;
    const headers = rest.find((arg) => typeof arg === "object" && arg !== null);
    const message = rest.find((arg) => typeof arg === "string");
    if (headers) setHeaders(res, headers);
    head = message === undefined ? [status] : [status, message];
    if (typeof status === "number") res.statusCode = status;
    return res;
  } as typeof res.writeHead;
  res.write = function (this: Response, ...args: unknown[]) {
    if (!holding) return (write as (...a: unknown[]) => boolean).apply(this, args);
    hold(args[0], args[1]);
    callback(args[1], args[2]);
    return true;
  } as typeof res.write;
  res.end = function (this: Response, ...args: unknown[]) {
    if (!holding) return (end as (...a: unknown[]) => Response).apply(this, args);
    if (ended) return res; // a second end() must not settle twice
    ended = true;
    hold(args[0], args[1]);
    callback(args[0], args[1], args[2]);
    onEnd();
    return res;
  } as typeof res.end;

  return {
    flush(extraHeaders = {}) {
      holding = false;
      for (const name in extraHeaders) res.setHeader(name, extraHeaders[name] as string);
      if (head) res.writeHead(...(head as Parameters<typeof res.writeHead>));
      for (const [chunk, encoding] of chunks) res.write(chunk as string, encoding as BufferEncoding);
      res.end();
    },
    discard() {
      holding = false;
      for (const name of res.getHeaderNames()) if (!headersBefore.has(name)) res.removeHeader(name);
      chunks.length = 0;
    },
  };
}

/** `writeHead`'s headers: an object, `[[name, value], …]` or the flat raw `[name, value, …]`. */
function setHeaders(res: Response, headers: object): void {
  if (!Array.isArray(headers)) {
    for (const [name, value] of Object.entries(headers))
      if (value !== undefined) res.setHeader(name, value as string | string[]);
    return;
  }
  const pairs: unknown[][] = Array.isArray(headers[0])
    ? headers
    : headers.flatMap((_, i) => (i % 2 === 0 ? [[headers[i], headers[i + 1]]] : []));
  for (const [name, value] of pairs) if (typeof name === "string") res.appendHeader(name, String(value));
}
