import type { ServerResponse } from "node:http";
import type { HttpResponseInstructions } from "@x402kit/core/server";

/** What the handler answered, held back until settlement decides its fate. */
export interface HeldReply {
  readonly status: number;
  /** A header of the held answer (fastify passes its headers to `writeHead`). */
  getHeader(name: string): string | undefined;
  /** Send the held answer with `extra` headers added and `drop` headers removed. */
  flush(extra: Record<string, string>, drop: string): void;
  /** Throw the held answer away and send `response` instead, with the headers set before the handler. */
  replace(response: HttpResponseInstructions, headersBefore: Record<string, string>): void;
}

type Head = [status: number, ...rest: unknown[]];

/**
 * Hold everything written to the Node response — fastify's own `writeHead`/`end`, a piped
 * stream, `reply.raw` writes — so no byte reaches the client before the payment settles.
 * `onEnd` runs once, when the answer is complete. One mechanism for every way fastify or a
 * handler can answer; after the hold the methods forward unchanged.
 */
export function holdReply(raw: ServerResponse, onEnd: (held: HeldReply) => void): void {
  const { writeHead, write, end, flushHeaders } = raw;
  const chunks: [unknown, BufferEncoding | undefined][] = [];
  let head: Head | undefined;
  let holding = true;
  let ended = false;
  const keep = (chunk: unknown, encoding: unknown) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== "function")
      chunks.push([chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : undefined]);
  };
  const callback = (...args: unknown[]) =>
    (args.find((a) => typeof a === "function") as (() => void) | undefined)?.();
  const headHeaders = (): Record<string, unknown> | undefined => {
    const value = head && (typeof head[1] === "object" ? head[1] : head[2]);
    return value && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  };

  const held: HeldReply = {
    get status() {
      return head?.[0] ?? raw.statusCode;
    },
    getHeader(name) {
      const lower = name.toLowerCase();
      const headers = headHeaders();
      const key = headers && Object.keys(headers).find((k) => k.toLowerCase() === lower);
      const value = key !== undefined ? headers?.[key] : raw.getHeader(name);
      return value === undefined ? undefined : Array.isArray(value) ? value.join(", ") : String(value);
    },
    flush(extra, drop) {
      holding = false;
      raw.removeHeader(drop);
      for (const name in extra) raw.setHeader(name, extra[name] as string);
      const headers = headHeaders();
      if (headers)
        for (const key of Object.keys(headers))
          if (key.toLowerCase() === drop.toLowerCase()) delete headers[key];
      if (head) raw.writeHead(...(head as Parameters<ServerResponse["writeHead"]>));
      for (const [chunk, encoding] of chunks) raw.write(chunk as string, encoding as BufferEncoding);
      raw.end();
    },
    replace(response, headersBefore) {
      holding = false;
      chunks.length = 0;
      for (const name of raw.getHeaderNames()) raw.removeHeader(name);
      raw.writeHead(response.status, { ...headersBefore, ...response.headers });
      raw.end(response.body);
    },
  };

  raw.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    if (!holding) return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    // Once the answer has ended, a later writeHead (fastify re-sending `undefined` for an async
    // handler that called reply.send() without returning it) must not replace the held head.
    // Copied: fastify passes its own headers object, which it mutates on that second send.
    if (!ended)
      head = args.map((arg) =>
        arg && typeof arg === "object" && !Array.isArray(arg) ? { ...arg } : arg,
      ) as Head;
    return raw;
  } as typeof raw.writeHead;
  raw.write = function (this: ServerResponse, ...args: unknown[]) {
    if (!holding) return (write as (...a: unknown[]) => boolean).apply(this, args);
    keep(args[0], args[1]);
    callback(args[1], args[2]);
    return true;
  } as typeof raw.write;
  raw.end = function (this: ServerResponse, ...args: unknown[]) {
    if (!holding) return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
    if (ended) return raw; // a second end() must not settle twice
    ended = true;
    keep(args[0], args[1]);
    callback(args[0], args[1], args[2]);
    onEnd(held);
    return raw;
  } as typeof raw.end;
  // flushHeaders would put the status line on the wire before settlement.
  raw.flushHeaders = function (this: ServerResponse) {
    if (!holding) flushHeaders.call(this);
  };
}
