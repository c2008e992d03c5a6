/**
 * An RPC URL safe to print: scheme and host only. Hosted RPC providers put API keys in
 * the path, query or user info, so everything else is elided.
 *
 * @example
 * ```ts
 * redactUrl("https://base-mainnet.g.alchemy.com/v2/SECRET"); // "https://base-mainnet.g.alchemy.com/…"
 * ```
 */
export function redactUrl(url: string): string {
  try {
    const { protocol, host, pathname, search } = new URL(url);
    const hidden = (pathname !== "/" && pathname !== "") || search !== "";
    return `${protocol}//${host}${hidden ? "/…" : ""}`;
  } catch {
    return "(invalid URL)";
  }
}
