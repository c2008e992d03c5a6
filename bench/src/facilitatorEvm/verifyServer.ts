// A facilitator scheme (ours or the official one) behind the smallest HTTP server speaking
// POST /verify, in its own process; the runner reads its CPU time and RPC count over IPC.
import { createServer } from "node:http";
import { createFacilitatorScheme, type FacilitatorSide } from "./facilitators.js";
import { RpcCounter } from "./rpcCounting.js";

/** Messages from a verify server to the runner. */
export type VerifyServerMessage =
  | { type: "ready"; port: number }
  | { type: "stats"; cpuMicros: number; rpcCalls: number; invalid: number };

const side = process.env.BENCH_FACILITATOR_SIDE as FacilitatorSide;
const counter = new RpcCounter();
const scheme = createFacilitatorScheme(
  side,
  {
    rpcUrl: process.env.BENCH_RPC_URL as string,
    chainId: Number(process.env.BENCH_CHAIN_ID),
    privateKey: process.env.BENCH_PRIVATE_KEY as `0x${string}`,
  },
  counter,
);
let invalid = 0;

const server = createServer(async (req, res) => {
  let raw = "";
  for await (const chunk of req) raw += chunk;
  try {
    const body = JSON.parse(raw);
    const result = await scheme.verify(body.paymentPayload, body.paymentRequirements);
    if (!result.isValid) invalid++;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(result));
  } catch (error) {
    res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: String(error) }));
  }
});
server.keepAliveTimeout = 60_000;
const send = (message: VerifyServerMessage) => process.send?.(message);
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  send({ type: "ready", port: address.port });
});
process.on("message", (message: unknown) => {
  if (message === "stats") {
    const cpu = process.cpuUsage();
    send({ type: "stats", cpuMicros: cpu.user + cpu.system, rpcCalls: counter.total, invalid });
  }
  if (message === "stop") {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
process.on("disconnect", () => process.exit(0));
