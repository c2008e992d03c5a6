import type { AddressInfo } from "node:net";
import type { x402Facilitator } from "@x402kit/core/facilitator";
import { createFacilitatorServer, type FacilitatorServerOptions } from "./createFacilitatorServer.js";

/** Options of {@link startFacilitatorServer}. */
export interface StartFacilitatorServerOptions extends FacilitatorServerOptions {
  /** Default 4020; 0 picks a free port. */
  port?: number;
  /** Default `127.0.0.1`: exposing a service that spends gas is an explicit choice. */
  host?: string;
  /** How long {@link RunningFacilitatorServer.close} waits for requests in flight. Default 10 000 ms. */
  closeTimeoutMs?: number;
}

/** A listening facilitator service. */
export interface RunningFacilitatorServer {
  /** Base URL, e.g. `http://127.0.0.1:4020` (plus the base path, if any). */
  url: string;
  port: number;
  host: string;
  /** Stop accepting connections, let requests in flight finish (a settlement is never cut off midway unless the timeout passes), then resolve. Safe to call twice. */
  close(): Promise<void>;
}

/** Default port of the service. */
export const DEFAULT_FACILITATOR_PORT = 4020;
/** Default host: loopback only. */
export const DEFAULT_FACILITATOR_HOST = "127.0.0.1";

/**
 * Create and start a facilitator service; resolves once it listens.
 *
 * @example
 * ```ts
 * const service = await startFacilitatorServer(facilitator, { port: 0 });
 * console.log(service.url); // http://127.0.0.1:49152
 * await service.close();
 * ```
 */
export async function startFacilitatorServer(
  facilitator: x402Facilitator,
  options: StartFacilitatorServerOptions = {},
): Promise<RunningFacilitatorServer> {
  const server = createFacilitatorServer(facilitator, options);
  const host = options.host ?? DEFAULT_FACILITATOR_HOST;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_FACILITATOR_PORT, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  const basePath = (options.basePath ?? "").replace(/\/+$/, "");

  // Keep-alive connections that finish a request after close() began are ended at once.
  let closing: Promise<void> | undefined;
  server.on("request", (_request, response) => {
    response.on("finish", () => {
      if (closing) server.closeIdleConnections();
    });
  });
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      const force = setTimeout(() => server.closeAllConnections(), options.closeTimeoutMs ?? 10_000);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };
  return { url: `http://${urlHost}:${port}${basePath}`, port, host, close };
}
