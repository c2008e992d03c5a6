import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { x402Facilitator as OfficialFacilitator } from "@x402/core/facilitator";
import { closeServer } from "./httpServer.js";

/**
 * The official SDK ships its facilitator as an engine only; this wraps it in the smallest
 * HTTP server speaking the facilitator API, so official and our clients reach it over HTTP.
 * Shared with the other interop suites (`@x402kit/e2e-tests/officialFacilitatorHttp`).
 *
 * @example
 * ```ts
 * const official = await serveOfficialFacilitator(engine); // official.url, await official.close()
 * ```
 */
export async function serveOfficialFacilitator(facilitator: OfficialFacilitator) {
  const server = createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
    };
    try {
      if (req.url === "/supported") return send(200, facilitator.getSupported());
      const body = JSON.parse(raw);
      if (req.url === "/verify")
        return send(200, await facilitator.verify(body.paymentPayload, body.paymentRequirements));
      if (req.url === "/settle")
        return send(200, await facilitator.settle(body.paymentPayload, body.paymentRequirements));
      send(404, { error: "not found" });
    } catch (error) {
      send(500, { error: String(error) });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => closeServer(server),
  };
}
