import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { createContext, runInContext } from "node:vm";
import { decodeHeaderJson, encodePaymentRequiredHeader } from "@x402kit/core/http";
import { transferWithAuthorizationTypes } from "@x402kit/evm";
import { build, type Plugin } from "esbuild";
import { type Hex, recoverTypedDataAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { beforeAll, describe, expect, it } from "vitest";

// The paying side of x402kit as a browser app bundles it: no Node built-in may be imported,
// and loading it must not touch `process` (no `process.env` at module load). The bundle is
// then loaded in a bare VM context holding only Web APIs, and pays a 402 through both the
// fetch and the axios wrapper.
const CLIENT_ENTRY = `
export * as core from "@x402kit/core";
export * as coreClient from "@x402kit/core/client";
export * as coreHttp from "@x402kit/core/http";
export * as fetchClient from "@x402kit/fetch";
export * as axiosClient from "@x402kit/axios";
export * as evmClient from "@x402kit/evm/exact/client";
export { default as axios } from "axios";
`;
const here = fileURLToPath(new URL(".", import.meta.url));

/** An esbuild plugin that refuses every `node:` import and every bare Node core module name. */
function forbidNodeBuiltins(found: string[]): Plugin {
  const builtins = new Set(builtinModules);
  return {
    name: "forbid-node-builtins",
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /.*/ }, ({ path, importer }) => {
        const bare = path.replace(/^node:/, "");
        if (!path.startsWith("node:") && !builtins.has(bare) && !builtins.has(bare.split("/")[0] ?? ""))
          return undefined;
        found.push(`${path} (imported by ${importer || "the entry"})`);
        return { errors: [{ text: `Node built-in "${path}" in a browser bundle` }] };
      });
    },
  };
}

async function bundleForBrowser(contents: string) {
  const forbidden: string[] = [];
  const result = await build({
    stdin: { contents, resolveDir: here, loader: "ts", sourcefile: "browserEntry.ts" },
    bundle: true,
    write: false,
    metafile: true,
    platform: "browser",
    format: "iife",
    globalName: "x402kitBundle",
    target: "es2022",
    conditions: ["@x402kit/source"],
    logLevel: "silent",
    plugins: [forbidNodeBuiltins(forbidden)],
  }).catch((error: { errors?: Array<{ text: string }> }) => ({ failure: error.errors ?? [] }));
  return { result, forbidden };
}

/** Web APIs a browser has; deliberately no `process`, `Buffer`, `require` or `global`. */
function browserGlobals() {
  const g = globalThis;
  return {
    ...{
      TextEncoder: g.TextEncoder,
      TextDecoder: g.TextDecoder,
      URL: g.URL,
      URLSearchParams: g.URLSearchParams,
    },
    ...{ crypto: g.crypto, atob: g.atob, btoa: g.btoa, console: g.console, queueMicrotask: g.queueMicrotask },
    ...{ fetch: g.fetch, Request: g.Request, Response: g.Response, Headers: g.Headers, FormData: g.FormData },
    ...{ Blob: g.Blob, ReadableStream: g.ReadableStream, AbortController: g.AbortController },
    ...{ AbortSignal: g.AbortSignal, setTimeout: g.setTimeout, clearTimeout: g.clearTimeout },
  };
}

type Bundle = {
  coreClient: typeof import("@x402kit/core/client");
  fetchClient: typeof import("@x402kit/fetch");
  axiosClient: typeof import("@x402kit/axios");
  evmClient: typeof import("@x402kit/evm/exact/client");
  axios: typeof import("axios").default;
};

describe("browser bundle of the client side", () => {
  let code = "";
  let inputs: string[] = [];

  beforeAll(async () => {
    const { result, forbidden } = await bundleForBrowser(CLIENT_ENTRY);
    expect(forbidden).toEqual([]);
    if ("failure" in result) throw new Error(result.failure.map((e) => e.text).join("\n"));
    code = result.outputFiles[0]?.text ?? "";
    inputs = Object.keys(result.metafile.inputs);
  });

  it("builds for the browser with no Node built-in imported", () => {
    expect(code.length).toBeGreaterThan(10_000);
    // The real client parts are in it, axios in its browser flavour (no Node http adapter).
    for (const part of ["packages/core/src/client/payForResponse.ts", "packages/axios/src/index.ts"])
      expect(inputs.some((input) => input.endsWith(part))).toBe(true);
    expect(inputs.some((input) => input.includes("axios/lib/adapters/xhr.js"))).toBe(true);
    expect(inputs.some((input) => input.includes("axios/lib/adapters/http.js"))).toBe(false);
  });

  it("the guard itself refuses node: imports and bare core modules", async () => {
    for (const source of ['import "node:crypto";', 'import { readFileSync } from "fs"; readFileSync;']) {
      const { result, forbidden } = await bundleForBrowser(source);
      expect("failure" in result).toBe(true);
      expect(forbidden).toHaveLength(1);
    }
  });

  it("loads without process, Buffer or require, and a top-level process.env read would be caught", () => {
    const context = createContext(browserGlobals());
    runInContext(code, context);
    expect(Object.keys(context.x402kitBundle as object).sort()).toEqual(
      ["axios", "axiosClient", "core", "coreClient", "coreHttp", "evmClient", "fetchClient"].sort(),
    );
    expect(() => runInContext("const mode = process.env.NODE_ENV;", createContext(browserGlobals()))).toThrow(
      /process is not defined/,
    );
  });

  it("pays a 402 from inside that context with the fetch and the axios wrapper", async () => {
    const context = createContext(browserGlobals());
    runInContext(code, context);
    const bundle = context.x402kitBundle as Bundle;
    const account = privateKeyToAccount(`0x${"11".repeat(32)}`);
    const asset = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as const;
    const required = {
      x402Version: 2 as const,
      resource: { url: "https://api.example/paid" },
      accepts: [
        {
          scheme: "exact",
          network: "eip155:31337",
          amount: "10000",
          asset,
          payTo: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
          maxTimeoutSeconds: 60,
          extra: { name: "USD Coin", version: "2" },
        },
      ],
    };
    const signatures: string[] = [];
    const server: typeof fetch = async (input, init) => {
      const signature = new Request(input, init).headers.get("payment-signature");
      if (!signature)
        return new Response("{}", {
          status: 402,
          headers: { "payment-required": encodePaymentRequiredHeader(required) },
        });
      signatures.push(signature);
      return new Response('"paid"', { headers: { "content-type": "application/json" } });
    };
    const client = () =>
      new bundle.coreClient.x402Client({
        spendControls: { allowedAssets: [{ network: "eip155:31337", asset, maxAmountPerPayment: "10000" }] },
      }).register("eip155:*", new bundle.evmClient.ExactEvmScheme(account));

    const viaFetch = await bundle.fetchClient.wrapFetchWithPayment(
      server,
      client(),
    )("https://api.example/paid");
    expect(await viaFetch.json()).toBe("paid");
    const api = bundle.axiosClient.wrapAxiosWithPayment(
      bundle.axios.create({ adapter: "fetch", env: { fetch: server } }),
      client(),
    );
    expect((await api.get("https://api.example/paid")).data).toBe("paid");

    expect(signatures).toHaveLength(2);
    for (const header of signatures) {
      const payload = decodeHeaderJson(header) as {
        payload: { signature: Hex; authorization: Record<string, string> };
      };
      const { authorization, signature } = payload.payload;
      const signer = await recoverTypedDataAddress({
        domain: { name: "USD Coin", version: "2", chainId: 31337, verifyingContract: asset },
        types: transferWithAuthorizationTypes,
        primaryType: "TransferWithAuthorization",
        message: {
          from: authorization.from as Hex,
          to: authorization.to as Hex,
          value: BigInt(authorization.value ?? ""),
          validAfter: BigInt(authorization.validAfter ?? ""),
          validBefore: BigInt(authorization.validBefore ?? ""),
          nonce: authorization.nonce as Hex,
        },
        signature,
      });
      expect(signer).toBe(account.address);
      expect(authorization.value).toBe("10000");
    }
  });
});
