import { createHash, timingSafeEqual } from "node:crypto";

/**
 * A checker for `Authorization: Bearer <key>` against one or more accepted keys (several
 * allow rotation). Keys are compared as SHA-256 digests in constant time, so neither the
 * content nor the length of a key leaks through timing.
 *
 * @example
 * ```ts
 * const isAuthorized = createBearerAuth(["old-key", "new-key"]);
 * isAuthorized(req.headers.authorization); // boolean
 * ```
 */
export function createBearerAuth(keys: readonly string[]): (authorization: string | undefined) => boolean {
  const digests = keys.map(sha256);
  return (authorization) => {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? "");
    if (!match) return false;
    const presented = sha256(match[1] as string);
    // Compare against every key so the time does not reveal which one matched.
    let ok = false;
    for (const digest of digests) ok = timingSafeEqual(presented, digest) || ok;
    return ok;
  };
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
