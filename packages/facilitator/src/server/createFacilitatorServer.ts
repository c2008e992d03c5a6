import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import {
  findExtensionRoute,
  handleFacilitatorRequest,
  type x402Facilitator,
} from "@x402kit/core/facilitator";
import { createBearerAuth } from "./bearerAuth.js";
import { defaultLogger, type FacilitatorLogger } from "./logger.js";
import { readJsonBody } from "./readJsonBody.js";
import { FACILITATOR_ROUTES, routePath } from "./routes.js";
import { writeJson } from "./writeJson.js";

/** Options of {@link createFacilitatorServer}. */
export interface FacilitatorServerOptions {
  /** Require `Authorization: Bearer <key>` on every endpoint but `/health`. Several keys allow rotation. */
  apiKey?: string | readonly string[];
  /** Largest accepted request body in bytes. Default 64 KiB. */
  maxBodyBytes?: number;
  /**
   * How much of an oversized body is read and dropped before the 413, so a client still
   * sending reads the answer instead of a connection reset. Default 8 MiB.
   */
  discardBodyBytes?: number;
  /** Serve under a prefix, e.g. `/facilitator` → `POST /facilitator/verify`. Default: the root. */
  basePath?: string;
  /** Time a client gets to send a whole request. Default 30 000 ms. */
  requestTimeoutMs?: number;
  /** Default: errors to `console.error`, nothing else. */
  logger?: FacilitatorLogger;
}

/** Default {@link FacilitatorServerOptions.maxBodyBytes}: a payment body is a few KiB. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/**
 * A `node:http` server (not yet listening) that serves a facilitator engine:
 * `POST /verify`, `POST /settle`, `GET /supported`, `GET /health`, and every route the
 * engine's extensions add (`facilitator.registerExtension({ key, routes })`).
 *
 * Bad input is always a 4xx with a JSON `{ error, message }`: 400 for malformed or invalid
 * JSON, 401 without the API key, 404 for unknown paths, 405 (with `Allow`) for a wrong
 * method, 413 for an oversized body. An invalid payment is a 200 whose body says why, as
 * the protocol wants. Nothing a request contains can produce a 500 or crash the process:
 * a truly unexpected failure is logged and answered 503 `{ error: "unavailable" }`.
 *
 * @example
 * ```ts
 * const server = createFacilitatorServer(facilitator, { apiKey: process.env.API_KEY });
 * server.listen(4020, "127.0.0.1");
 * ```
 */
export function createFacilitatorServer(
  facilitator: x402Facilitator,
  options: FacilitatorServerOptions = {},
): Server {
  const handle = createRequestHandler(facilitator, options);
  const server = createServer({ requestTimeout: options.requestTimeoutMs ?? 30_000 }, handle);
  server.on("clientError", answerClientError);
  return server;
}

/**
 * The request listener behind {@link createFacilitatorServer}, for mounting into an
 * existing `node:http` server.
 *
 * @example
 * ```ts
 * const handle = createRequestHandler(facilitator, { basePath: "/x402" });
 * http.createServer((req, res) => (req.url?.startsWith("/x402/") ? handle(req, res) : other(req, res)));
 * ```
 */
export function createRequestHandler(
  facilitator: x402Facilitator,
  options: FacilitatorServerOptions = {},
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const logger = options.logger ?? defaultLogger;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const keys = typeof options.apiKey === "string" ? [options.apiKey] : (options.apiKey ?? []);
  const isAuthorized = keys.length > 0 ? createBearerAuth(keys) : undefined;

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? "GET";
    const url = request.url ?? "/";
    const path = routePath(url, options.basePath);
    const route = path === undefined ? undefined : findRoute(facilitator, path, method);
    if (path === undefined || !route) {
      return reject(request, response, 404, "not_found", `${method} ${url} is not an endpoint`);
    }
    if (!route.methods.includes(method)) {
      const allow = route.methods.join(", ");
      return reject(request, response, 405, "method_not_allowed", `${path} accepts ${allow}`, {
        allow,
      });
    }
    if (route.protected && isAuthorized && !isAuthorized(request.headers.authorization)) {
      return reject(request, response, 401, "unauthorized", "a valid bearer token is required", {
        "www-authenticate": 'Bearer realm="x402-facilitator"',
      });
    }
    if (path === "/health") return writeJson(response, 200, { status: "ok" });

    let body: unknown;
    if (method === "POST" || method === "PUT" || method === "PATCH") {
      const read = await readJsonBody(request, maxBodyBytes, options.discardBodyBytes);
      if (!read.ok) {
        const close = read.status === 413 ? { connection: "close" } : undefined;
        return writeJson(response, read.status, { error: read.error, message: read.message }, close);
      }
      body = read.value;
    } else request.resume();
    const coreMethod = method === "HEAD" ? "GET" : method;
    const query = new URLSearchParams(
      url.includes("?") ? url.slice(url.indexOf("?") + 1).split("#", 1)[0] : "",
    );
    const answer = await handleFacilitatorRequest(facilitator, {
      method: coreMethod,
      path,
      body,
      query,
      headers: request.headers,
    });
    writeJson(response, answer.status, answer.body, answer.headers);
  }

  return async (request, response) => {
    const started = performance.now();
    try {
      await serve(request, response);
    } catch (error) {
      // A client that hung up mid-request is not a failure of ours; there is no one to answer.
      if (response.destroyed || request.socket.destroyed) return;
      safely(() => logger.error(`${request.method} ${request.url} failed unexpectedly`, error));
      if (response.headersSent) response.destroy();
      else
        writeJson(response, 503, {
          error: "unavailable",
          message: "the facilitator could not handle the request",
        });
    }
    const ms = Math.round(performance.now() - started);
    safely(() => logger.info(`${request.method} ${request.url} ${response.statusCode} ${ms}ms`));
  };
}

/** A throwing logger must not turn into an unhandled rejection. */
function safely(log: () => void): void {
  try {
    log();
  } catch {}
}

/** A 4xx before the body was read: discard the body so the connection stays usable. */
function reject(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  error: string,
  message: string,
  headers?: Record<string, string>,
): void {
  request.resume();
  writeJson(response, status, { error, message }, headers);
}

/** Malformed HTTP never reaches the handler; answer it in JSON too, then hang up. */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || error.code === "ECONNRESET") return void socket.destroy();
  const [status, text] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large"]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout"]
        : [400, "Bad Request"];
  const body = JSON.stringify({ error: "bad_request", message: text });
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The built-in route of a path, or the methods extensions serve on it (a built-in path wins). */
function findRoute(
  facilitator: x402Facilitator,
  path: string,
  method: string,
): { methods: readonly string[]; protected: boolean } | undefined {
  const builtIn = FACILITATOR_ROUTES[path];
  if (builtIn) return builtIn;
  const routes = facilitator.getExtensionRoutes().filter((route) => route.path === path);
  if (routes.length === 0) return undefined;
  const methods = [...new Set(routes.map((route) => route.method.toUpperCase()))];
  if (methods.includes("GET")) methods.push("HEAD");
  const matched = findExtensionRoute(facilitator, method, path);
  return { methods, protected: (matched ?? routes[0])?.protected !== false };
}
