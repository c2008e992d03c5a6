import type { Response } from "express";

/** A handler's response, held back until the payment is settled. */
export interface HeldResponse {
  /** Resolves when the handler has ended its response. */
  readonly ended: Promise<void>;
  /** Send what the handler wrote, with `extraHeaders` added. */
  flush(extraHeaders?: Record<string, string>): void;
  /** Throw away what the handler wrote (its headers too) and restore the response. */
  discard(): void;
}

type Chunk = [chunk: unknown, encoding: BufferEncoding | undefined];

/**
 * Intercept `writeHead`/`write`/`end` so nothing reaches the client before settlement:
 * a handler's output must never be delivered for a payment that did not settle.
 */
export function holdResponse(res: Response): HeldResponse {
  const original = {
    writeHead: res.writeHead,
    write: res.write,
    end: res.end,
    flushHeaders: res.flushHeaders,
  };
  const chunks: Chunk[] = [];
  let head: unknown[] | undefined;
  let markEnded!: () => void;
  const ended = new Promise<void>((resolve) => {
    markEnded = resolve;
  });
  const hold = (chunk: unknown, encoding: unknown) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== "function")
      chunks.push([chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : undefined]);
  };
  const callbackOf = (...args: unknown[]) =>
    args.find((a) => typeof a === "function") as (() => void) | undefined;

  res.writeHead = ((...args: unknown[]) => {
    head = args;
    if (typeof args[0] === "number") res.statusCode = args[0];
    return res;
  }) as typeof res.writeHead;
  res.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
    hold(chunk, encoding);
    callbackOf(encoding, cb)?.();
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: unknown, encoding?: unknown, cb?: unknown) => {
    hold(chunk, encoding);
    callbackOf(chunk, encoding, cb)?.();
    markEnded();
    return res;
  }) as typeof res.end;
  res.flushHeaders = () => {};

  const restore = () => Object.assign(res, original);
  return {
    ended,
    flush(extraHeaders = {}) {
      restore();
      for (const [name, value] of Object.entries(extraHeaders)) res.setHeader(name, value);
      if (head) (res.writeHead as (...args: unknown[]) => void)(...head);
      for (const [chunk, encoding] of chunks) res.write(chunk as string, encoding as BufferEncoding);
      res.end();
    },
    discard() {
      restore();
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      chunks.length = 0;
    },
  };
}
