import { custom, HttpRequestError, RpcRequestError, TimeoutError, type Transport } from "viem";

/** Options of {@link keepAliveHttp}. */
export interface KeepAliveHttpOptions {
  /** Per request. Default 10 000 ms. */
  timeoutMs?: number;
  /** Sockets kept open to the node. Default 64. */
  maxSockets?: number;
  /** viem's retries of failed requests (not of errors the node answered). Default 0. */
  retryCount?: number;
}

type NodeHttp = typeof import("node:http");
let nodeModules: Promise<{ http: NodeHttp; https: NodeHttp }> | undefined;

/**
 * A viem transport for JSON-RPC over HTTP(S) with `node:http` and keep-alive sockets (Node only).
 * A facilitator's reads (simulations, receipts) cost about a quarter of the CPU of viem's
 * `http()`, which goes through `fetch` (undici) for every request. Errors are viem's, as with
 * `http()`: `RpcRequestError` (code, message, data) for an error the node answered,
 * `HttpRequestError` for a failed request or a non-2xx status, `TimeoutError`.
 *
 * @example
 * ```ts
 * const publicClient = createPublicClient({ chain, transport: keepAliveHttp(rpcUrl) });
 * ```
 */
export function keepAliveHttp(url: string, options: KeepAliveHttpOptions = {}): Transport {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let agent: Promise<{ request: NodeHttp["request"]; agent: unknown }> | undefined;
  let id = 0;
  const connect = () => {
    // Variable specifiers: bundlers for browsers and workers must not try to resolve Node built-ins.
    const [httpModule, httpsModule] = ["node:http", "node:https"];
    nodeModules ??= Promise.all([
      import(/* @vite-ignore */ httpModule) as Promise<NodeHttp>,
      import(/* @vite-ignore */ httpsModule) as Promise<NodeHttp>,
    ]).then(([http, https]) => ({
      http,
      https: https as unknown as NodeHttp,
    }));
    agent ??= nodeModules.then(({ http, https }) => {
      const lib = url.startsWith("https:") ? https : http;
      return {
        request: lib.request,
        agent: new lib.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 }),
      };
    });
    return agent;
  };
  return custom(
    {
      async request({ method, params }: { method: string; params?: unknown }) {
        const body = { jsonrpc: "2.0", id: ++id, method, params: params ?? [] };
        const { request, agent: pool } = await connect();
        const text = JSON.stringify(body);
        const answer = await new Promise<string>((resolve, reject) => {
          const failed = (details: string, status?: number) =>
            reject(new HttpRequestError({ body, details, url, ...(status ? { status } : {}) }));
          const req = request(
            url,
            {
              method: "POST",
              agent: pool as never,
              timeout: timeoutMs,
              headers: { "content-type": "application/json", "content-length": Buffer.byteLength(text) },
            },
            (res) => {
              let raw = "";
              res.setEncoding("utf8");
              res.on("data", (chunk: string) => {
                raw += chunk;
              });
              res.on("end", () => {
                const status = res.statusCode ?? 500;
                if (status < 300) resolve(raw);
                else failed(raw.slice(0, 200) || `HTTP ${status}`, status);
              });
              res.on("error", (error) => failed(error.message));
            },
          );
          req.on("timeout", () => {
            req.destroy();
            reject(new TimeoutError({ body, url }));
          });
          req.on("error", (error) => failed(error.message));
          req.end(text);
        });
        const response = JSON.parse(answer) as {
          result?: unknown;
          error?: { code: number; message: string; data?: unknown };
        };
        if (response.error) throw new RpcRequestError({ body, error: response.error, url });
        return response.result;
      },
    },
    { retryCount: options.retryCount ?? 0 },
  );
}
