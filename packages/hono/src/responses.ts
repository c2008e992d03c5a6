import type { HttpResponseInstructions } from "@x402kit/core/server";
import type { Context } from "hono";

/**
 * The pipeline's response instructions as a Fetch `Response`, on top of `base` headers (the
 * app's, e.g. CORS set by earlier middleware) when given.
 */
export function toResponse(instructions: HttpResponseInstructions, base?: Headers): Response {
  const headers = new Headers(base);
  for (const name in instructions.headers) headers.set(name, instructions.headers[name] as string);
  return new Response(instructions.body, { status: instructions.status, headers });
}

/** Make `response` the answer, as is: none of the current answer's headers are merged in. */
export function replaceResponse(c: Context, response: Response): void {
  // hono's `res` setter copies the previous answer's headers onto the new one; clear it first.
  c.res = undefined;
  c.res = response;
}

/**
 * Change the headers of the current answer in place. A `Response` from `fetch()` has immutable
 * headers: it is then copied once (its body is passed along, not read).
 */
export function editHeaders(c: Context, edit: (headers: Headers) => void): void {
  try {
    edit(c.res.headers);
  } catch {
    const current = c.res;
    replaceResponse(c, new Response(current.body, current));
    edit(c.res.headers);
  }
}
