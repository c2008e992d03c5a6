import type { IncomingMessage } from "node:http";

/** Outcome of {@link readJsonBody}: the parsed value, or the 4xx answer to give instead. */
export type JsonBodyResult =
  | { ok: true; value: unknown }
  | { ok: false; status: 400 | 413; error: "invalid_json" | "payload_too_large"; message: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Read a request body of at most `limit` bytes and parse it as JSON. The content type is
 * not checked: clients label JSON many ways, and the parse decides.
 *
 * An oversized body (by `Content-Length` or as it arrives) is read and thrown away, unbuffered,
 * up to `discardLimit` bytes in all, and only then answered 413: a server that answers and
 * hangs up while the client is still sending makes the client's TCP stack see a reset before
 * it reads the answer. A body beyond `discardLimit` is answered at once (the connection must
 * then close, and a client still sending may not see the 413).
 *
 * @example
 * ```ts
 * const body = await readJsonBody(req, 64 * 1024);
 * if (!body.ok) return writeJson(res, body.status, { error: body.error, message: body.message });
 * ```
 */
export function readJsonBody(
  request: IncomingMessage,
  limit: number,
  discardLimit = DEFAULT_DISCARD_LIMIT,
): Promise<JsonBodyResult> {
  const tooLarge = {
    ok: false,
    status: 413,
    error: "payload_too_large",
    message: `the body exceeds ${limit} bytes`,
  } as const;
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > discardLimit) return Promise.resolve(tooLarge);

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let oversized = Number.isFinite(declared) && declared > limit;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (!oversized && size <= limit) return void chunks.push(chunk);
      oversized = true;
      chunks.length = 0;
      if (size > discardLimit) {
        request.off("data", onData);
        request.off("end", onEnd);
        resolve(tooLarge);
      }
    };
    const onEnd = () => resolve(oversized ? tooLarge : parseJson(Buffer.concat(chunks, size)));
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", reject);
    // A client that hangs up mid-body never sends "end"; settle the promise anyway.
    request.on("close", () => reject(new Error("the client closed the request")));
  });
}

/** Default `discardLimit` of {@link readJsonBody}: 8 MiB of an oversized body are read and dropped. */
export const DEFAULT_DISCARD_LIMIT = 8 * 1024 * 1024;

function parseJson(bytes: Buffer): JsonBodyResult {
  if (bytes.length === 0)
    return { ok: false, status: 400, error: "invalid_json", message: "the body is empty" };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, status: 400, error: "invalid_json", message: "the body is not valid UTF-8" };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, status: 400, error: "invalid_json", message: (error as Error).message };
  }
}
