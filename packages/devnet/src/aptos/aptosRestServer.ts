import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AptosLedger, AptosValidationError } from "./aptosLedger.js";
import { pendingJson } from "./transactionJson.js";

const BCS_SIGNED_TRANSACTION = "application/x.aptos.signed_transaction+bcs";
const MAX_BODY_BYTES = 64 * 1024;

/** `raw`: the body's JSON text as is (a u64 beyond 2^53 cannot go through JSON.stringify). */
type Reply = { status: number; body: unknown; raw?: string };

/**
 * An HTTP server answering the subset of the Aptos fullnode REST API (`/v1`) that the SDK uses
 * for x402 payments, from an {@link AptosLedger}. A LOCAL STAND-IN for tests, not a node.
 *
 * Routes: `GET /v1` (ledger info), `GET /v1/-/healthy`, `GET /v1/accounts/{address}`,
 * `…/resources`, `…/resource/0x1::account::Account`, `…/balance/{asset}`,
 * `GET /v1/accounts/0x1/module/primary_fungible_store` (its ABI),
 * `GET /v1/estimate_gas_price`, `POST /v1/transactions` and `POST /v1/transactions/simulate`
 * (BCS signed transactions), `GET /v1/transactions/by_hash/{hash}` and `…/wait_by_hash/{hash}`.
 *
 * @example
 * ```ts
 * const server = createAptosRestServer(new AptosLedger(), { gasUnitPrice: 100n });
 * server.listen(0, "127.0.0.1");
 * ```
 */
export function createAptosRestServer(ledger: AptosLedger, options: { gasUnitPrice?: bigint } = {}): Server {
  const gasUnitPrice = options.gasUnitPrice ?? 100n;
  return createServer((request, response) => {
    handle(ledger, gasUnitPrice, request)
      .then((reply) => send(response, ledger, reply))
      .catch((error: unknown) =>
        send(
          response,
          ledger,
          apiError(500, "internal_error", error instanceof Error ? error.message : String(error)),
        ),
      );
  });
}

async function handle(ledger: AptosLedger, gasUnitPrice: bigint, request: IncomingMessage): Promise<Reply> {
  let url: URL;
  try {
    url = new URL(request.url ?? "/", "http://localhost");
  } catch {
    return apiError(400, "invalid_input", "malformed request target");
  }
  const path = url.pathname.replace(/\/+$/, "");
  const method = request.method ?? "GET";
  if (method === "GET" && path === "/v1") return { status: 200, body: ledgerInfo(ledger) };
  if (method === "GET" && path === "/v1/-/healthy")
    return { status: 200, body: { message: "aptos-node:ok" } };
  if (method === "GET" && path === "/v1/estimate_gas_price")
    return {
      status: 200,
      body: {
        deprioritized_gas_estimate: Number(gasUnitPrice),
        gas_estimate: Number(gasUnitPrice),
        prioritized_gas_estimate: Number(gasUnitPrice) + 50,
      },
    };
  const account = /^\/v1\/accounts\/([^/]+)(\/.*)?$/.exec(path);
  if (method === "GET" && account) {
    let rest: string;
    try {
      rest = decodeURIComponent(account[2] ?? "");
    } catch {
      return apiError(400, "invalid_input", "malformed percent-encoding in the path");
    }
    return accountRoute(ledger, account[1] as string, rest);
  }
  const byHash = /^\/v1\/transactions\/(by_hash|wait_by_hash)\/(0x[0-9a-fA-F]{64})$/.exec(path);
  if (method === "GET" && byHash) {
    const found = ledger.lookup(byHash[2] as string);
    return found
      ? { status: 200, body: found }
      : apiError(404, "transaction_not_found", "Transaction not found");
  }
  if (method === "POST" && (path === "/v1/transactions" || path === "/v1/transactions/simulate")) {
    if (!String(request.headers["content-type"] ?? "").startsWith(BCS_SIGNED_TRANSACTION))
      return apiError(415, "unsupported_media_type", `expected ${BCS_SIGNED_TRANSACTION}`);
    const body = await readBody(request);
    if (!body) return apiError(413, "invalid_input", "body too large");
    try {
      if (path.endsWith("/simulate")) return { status: 200, body: [ledger.simulate(body)] };
      return { status: 202, body: pendingJson(ledger.submit(body)) };
    } catch (error) {
      if (error instanceof AptosValidationError) return apiError(400, "vm_error", error.message);
      throw error;
    }
  }
  return apiError(404, "web_framework_error", `${method} ${path} is not served by this local stand-in`);
}

// The ABI the SDK fetches when it builds `primary_fungible_store::transfer` without one.
const PRIMARY_FUNGIBLE_STORE = {
  bytecode: "0x",
  abi: {
    address: "0x1",
    name: "primary_fungible_store",
    friends: [],
    exposed_functions: [
      {
        name: "transfer",
        visibility: "public",
        is_entry: true,
        is_view: false,
        generic_type_params: [{ constraints: ["key"] }],
        params: ["&signer", "0x1::object::Object<T0>", "address", "u64"],
        return: [],
      },
    ],
    structs: [],
  },
};

function accountRoute(ledger: AptosLedger, address: string, rest: string): Reply {
  if (rest === "/module/primary_fungible_store" && /^0x0*1$/.test(address))
    return { status: 200, body: PRIMARY_FUNGIBLE_STORE };
  const info = ledger.accountInfo(address);
  const balance = /^\/balance\/(.+)$/.exec(rest);
  if (balance) {
    const amount = ledger.balance(address, balance[1] as string);
    return { status: 200, body: Number(amount), raw: amount.toString() };
  }
  if (!info) return apiError(404, "account_not_found", `Account not found by Address(${address})`);
  const resource = { type: "0x1::account::Account", data: { ...info, guid_creation_num: "0" } };
  if (rest === "") return { status: 200, body: info };
  if (rest === "/resources") return { status: 200, body: [resource] };
  if (rest === "/resource/0x1::account::Account") return { status: 200, body: resource };
  return apiError(404, "resource_not_found", `${rest} not found`);
}

function ledgerInfo(ledger: AptosLedger): Record<string, string | number> {
  const { version, timestampSeconds } = ledger.info();
  return {
    chain_id: ledger.chainId,
    epoch: "1",
    ledger_version: version.toString(),
    oldest_ledger_version: "0",
    ledger_timestamp: (BigInt(timestampSeconds) * 1_000_000n).toString(),
    node_role: "full_node",
    oldest_block_height: "0",
    block_height: version.toString(),
    git_hash: "x402kit-local-stand-in",
  };
}

function apiError(status: number, errorCode: string, message: string): Reply {
  return { status, body: { message, error_code: errorCode, vm_error_code: null } };
}

function send(response: ServerResponse, ledger: AptosLedger, reply: Reply): void {
  const { version, timestampSeconds } = ledger.info();
  response.writeHead(reply.status, {
    "content-type": "application/json",
    "x-aptos-chain-id": String(ledger.chainId),
    "x-aptos-ledger-version": version.toString(),
    "x-aptos-ledger-oldest-version": "0",
    "x-aptos-ledger-timestampusec": (BigInt(timestampSeconds) * 1_000_000n).toString(),
    "x-aptos-epoch": "1",
    "x-aptos-block-height": version.toString(),
    "x-aptos-oldest-block-height": "0",
  });
  response.end(reply.raw ?? JSON.stringify(reply.body));
}

async function readBody(request: IncomingMessage): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
