import type { HeaderReader, TransportResponse } from "@x402kit/core/client";
import {
  AxiosError,
  AxiosHeaders,
  type AxiosInstance,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from "axios";

/**
 * Set on the configs of the requests this package sends itself (hook and payment retries), so
 * the interceptor lets their answers through — a 402 among them included. A string key, not a
 * symbol: axios rebuilds the config with `Object.keys` on every request.
 */
const RETRY_MARK = "x402kitPaymentRetry";

/** Whether `config` belongs to a request this package re-sent. */
export function isPaymentRetry(config: InternalAxiosRequestConfig | undefined): boolean {
  return (config as Record<string, unknown> | undefined)?.[RETRY_MARK] === true;
}

/** A case-insensitive reader over axios headers (an `AxiosHeaders`, or a plain object from a custom adapter). */
export function headerReader(headers: unknown): HeaderReader {
  if (headers instanceof AxiosHeaders) return (name) => stringOrNull(headers.get(name));
  const record = (headers ?? {}) as Record<string, unknown>;
  return (name) => {
    const wanted = name.toLowerCase();
    for (const [key, value] of Object.entries(record))
      if (key.toLowerCase() === wanted) return stringOrNull(value);
    return null;
  };
}

function stringOrNull(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return null;
}

/** An axios answer as core's client loop reads it. */
export function toTransportResponse(response: AxiosResponse): TransportResponse<AxiosResponse> {
  return {
    status: response.status,
    getHeader: headerReader(response.headers),
    readJson: async () => parseBody(response.data),
    discard: () => releaseStream(response.data),
    response,
  };
}

/**
 * axios has usually parsed a JSON body already; text and binary bodies (`responseType`
 * `"text"`, `"arraybuffer"`) are parsed here.
 */
function parseBody(data: unknown): unknown {
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data))
    return JSON.parse(new TextDecoder().decode(data));
  if (typeof data !== "string") return data;
  return JSON.parse(data);
}

/** With `responseType: "stream"`, a replaced answer's body is let go so its connection is freed. */
function releaseStream(data: unknown): unknown {
  const body = data as { destroy?: () => void; cancel?: () => Promise<void> } | null;
  if (typeof body?.destroy === "function") return body.destroy();
  if (typeof ReadableStream !== "undefined" && data instanceof ReadableStream) return data.cancel();
  return undefined;
}

/**
 * Re-send `config` through `instance` with `headers` added. The copy accepts every status, so
 * a 402 on a retry comes back to the loop instead of entering the interceptor again; the
 * caller's `validateStatus` is applied to the final answer by {@link settleLikeAxios}. The
 * body axios already serialised for the first send is sent again as it is.
 */
export function resend(instance: AxiosInstance, config: InternalAxiosRequestConfig) {
  return async (headers: Record<string, string>): Promise<TransportResponse<AxiosResponse>> => {
    const merged = AxiosHeaders.from(config.headers);
    for (const [name, value] of Object.entries(headers)) merged.set(name, value);
    const retry = { ...config, headers: merged, validateStatus: () => true, [RETRY_MARK]: true };
    return toTransportResponse(await instance.request(retry));
  };
}

/** Resolve or throw the final answer as axios itself would under the caller's `validateStatus`. */
export function settleLikeAxios(response: AxiosResponse, config: InternalAxiosRequestConfig): AxiosResponse {
  const { validateStatus } = config;
  if (!response.status || !validateStatus || validateStatus(response.status)) return response;
  throw new AxiosError(
    `Request failed with status code ${response.status}`,
    response.status >= 400 && response.status < 500
      ? AxiosError.ERR_BAD_REQUEST
      : AxiosError.ERR_BAD_RESPONSE,
    config,
    response.request,
    response,
  );
}
