import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { StrKey, xdr } from "@stellar/stellar-sdk";
import type { LoopbackCertificate } from "./selfSignedCertificate.js";
import type { StellarLedger } from "./stellarLedger.js";
import { latestLedgerXdr } from "./xdrResults.js";

/** Answers of one JSON-RPC method (params → result); a thrown error becomes a JSON-RPC error. */
type Method = (params: Record<string, unknown>) => unknown;

/**
 * The Soroban RPC methods the Stellar SDK's `rpc.Server` calls in an x402 payment, answered
 * from a {@link StellarLedger}: `getHealth`, `getNetwork`, `getLatestLedger`, `getLedgerEntries`
 * (accounts), `simulateTransaction`, `sendTransaction`, `getTransaction`. Every call is
 * counted in `calls` (so tests can tell what a client touched).
 */
export function sorobanRpcMethods(ledger: StellarLedger, afterSubmit: () => void): Record<string, Method> {
  const latest = () => ({
    latestLedger: ledger.sequence,
    latestLedgerCloseTime: String(ledger.closeTime),
    oldestLedger: 1,
    oldestLedgerCloseTime: "0",
  });
  return {
    getHealth: () => ({
      status: "healthy",
      latestLedger: ledger.sequence,
      oldestLedger: 1,
      ledgerRetentionWindow: 17280,
    }),
    getNetwork: () => ({ passphrase: ledger.networkPassphrase, protocolVersion: 23 }),
    getLatestLedger: () => ({
      id: ledger.sequence.toString(16).padStart(64, "0"),
      protocolVersion: 23,
      sequence: ledger.sequence,
      closeTime: String(ledger.closeTime),
      ...latestLedgerXdr(ledger.sequence, ledger.closeTime),
    }),
    getLedgerEntries: ({ keys }) => {
      if (!Array.isArray(keys)) throw new RpcError(-32602, "keys must be an array");
      const entries = keys.flatMap((key) => accountEntry(ledger, String(key)));
      return { entries, latestLedger: ledger.sequence };
    },
    simulateTransaction: ({ transaction }) => ledger.simulate(String(transaction)),
    sendTransaction: ({ transaction }) => {
      const sent = ledger.submit(String(transaction));
      if (sent.status === "PENDING") afterSubmit();
      return { ...sent, latestLedger: ledger.sequence, latestLedgerCloseTime: String(ledger.closeTime) };
    },
    getTransaction: ({ hash }) => {
      const record = ledger.transactions.get(String(hash));
      if (!record) return { status: "NOT_FOUND", ...latest() };
      const { error: _error, hash: txHash, ...answer } = record;
      return { ...answer, txHash, createdAt: String(record.createdAt), ...latest() };
    },
  };
}

function accountEntry(ledger: StellarLedger, keyXdr: string): unknown[] {
  const key = xdr.LedgerKey.fromXDR(keyXdr, "base64");
  if (key.switch().name !== "account") return [];
  const address = StrKey.encodeEd25519PublicKey(key.account().accountId().ed25519());
  const account = ledger.accounts.get(address);
  if (!account) return [];
  const entry = new xdr.AccountEntry({
    accountId: key.account().accountId(),
    balance: xdr.Int64.fromString(account.balance.toString()),
    seqNum: xdr.Int64.fromString(account.sequence.toString()),
    numSubEntries: 0,
    inflationDest: null,
    flags: 0,
    homeDomain: "",
    thresholds: Buffer.from([1, 0, 0, 0]),
    signers: [],
    ext: new xdr.AccountEntryExt(0),
  });
  return [
    {
      key: keyXdr,
      xdr: xdr.LedgerEntryData.account(entry).toXDR("base64"),
      lastModifiedLedgerSeq: ledger.sequence,
    },
  ];
}

/** A JSON-RPC error with its code. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Serve JSON-RPC 2.0 over HTTP (or HTTPS with `tls`) POST on a loopback port (0 = any free one). */
export async function serveJsonRpc(
  methods: Record<string, Method>,
  calls: Map<string, number>,
  port = 0,
  tls?: LoopbackCertificate,
): Promise<{ server: Server; url: string }> {
  const listener = (req: IncomingMessage, res: ServerResponse) => void handle(req, res, methods, calls);
  const server: Server = tls ? createTlsServer(tls, listener) : createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return { server, url: `${tls ? "https" : "http"}://127.0.0.1:${bound}` };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  methods: Record<string, Method>,
  calls: Map<string, number>,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let id: unknown = null;
  const reply = (body: Record<string, unknown>) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ jsonrpc: "2.0", id, ...body }));
  };
  try {
    const request = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
      id?: unknown;
      method?: unknown;
      params?: unknown;
    };
    id = request.id ?? null;
    const name = String(request.method);
    calls.set(name, (calls.get(name) ?? 0) + 1);
    const method = Object.hasOwn(methods, name) ? methods[name] : undefined;
    if (!method) return reply({ error: { code: -32601, message: `method ${name} not found` } });
    const params = (request.params ?? {}) as Record<string, unknown>;
    reply({ result: method(params) });
  } catch (error) {
    const code = error instanceof RpcError ? error.code : -32603;
    reply({ error: { code, message: (error as Error).message } });
  }
}
