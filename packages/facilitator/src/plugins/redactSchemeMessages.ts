import type { SchemeFacilitator } from "@x402kit/core";
import { redactUrl } from "@x402kit/core/utils";

/**
 * Wrap a scheme so its `invalidMessage` / `errorMessage` never contain the given RPC URLs.
 * viem's error messages quote the request URL, and hosted RPC URLs carry API keys in the
 * path; these messages go back to whoever called `/verify` or `/settle`.
 *
 * @example
 * ```ts
 * facilitator.register(network, redactSchemeMessages(new ExactEvmScheme(signer), [rpcUrl]));
 * ```
 */
export function redactSchemeMessages(scheme: SchemeFacilitator, urls: readonly string[]): SchemeFacilitator {
  // The URL as configured and as viem may print it (normalised by `new URL`); longest first.
  const replacements = urls
    .flatMap((url) => [url, normalise(url)].map((form) => [form, redactUrl(url)] as const))
    .sort(([a], [b]) => b.length - a.length);
  const redact = (text: string | null | undefined) => {
    if (typeof text !== "string") return text;
    return replacements.reduce((safe, [form, redacted]) => safe.replaceAll(form, redacted), text);
  };
  return {
    scheme: scheme.scheme,
    caipFamily: scheme.caipFamily,
    getExtra: (network) => scheme.getExtra(network),
    getSigners: (network) => scheme.getSigners(network),
    async verify(payload, requirements, context) {
      const result = await scheme.verify(payload, requirements, context);
      return result.invalidMessage ? { ...result, invalidMessage: redact(result.invalidMessage) } : result;
    },
    async settle(payload, requirements, context) {
      const result = await scheme.settle(payload, requirements, context);
      return result.errorMessage ? { ...result, errorMessage: redact(result.errorMessage) } : result;
    },
  };
}

function normalise(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}
