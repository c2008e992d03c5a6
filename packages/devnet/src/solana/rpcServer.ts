import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { RpcMethodError, type SolanaRpcMethods } from "./rpcMethods.js";

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Serve {@link SolanaRpcMethods} as Solana JSON-RPC 2.0 over HTTP (single and batch requests)
 * on `127.0.0.1:<port>` (0 = a free port). Resolves once listening.
 *
 * @example
 * ```ts
 * const { server, port } = await serveSolanaRpc(methods, 0);
 * ```
 */
export async function serveSolanaRpc(
  methods: SolanaRpcMethods,
  port: number,
): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => void handle(methods, request, response));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  return { server, port: typeof address === "object" && address ? address.port : port };
}

async function handle(methods: SolanaRpcMethods, request: IncomingMessage, response: ServerResponse) {
  if (request.method !== "POST") {
    response.writeHead(405, { allow: "POST" }).end();
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(await readBody(request));
  } catch {
    return reply(response, { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
  }
  const answer = Array.isArray(body) ? body.map((one) => callOne(methods, one)) : callOne(methods, body);
  reply(response, answer);
}

function callOne(methods: SolanaRpcMethods, request: unknown) {
  const {
    id = null,
    method,
    params,
  } = (request ?? {}) as { id?: unknown; method?: unknown; params?: unknown };
  if (typeof method !== "string")
    return { jsonrpc: "2.0", id, error: { code: -32600, message: "Invalid request" } };
  try {
    return { jsonrpc: "2.0", id, result: methods.call(method, Array.isArray(params) ? params : []) };
  } catch (error) {
    const code = error instanceof RpcMethodError ? error.code : -32603;
    const data = error instanceof RpcMethodError ? error.data : undefined;
    const message = error instanceof Error ? error.message : String(error);
    return { jsonrpc: "2.0", id, error: { code, message, ...(data === undefined ? {} : { data }) } };
  }
}

function reply(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("body too large"));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}
