import { connect } from "node:net";

/** A response read off the socket, unparsed beyond the status line and headers. */
export interface RawResponse {
  status: number;
  head: string;
  body: string;
}

/**
 * Send one request exactly as written (request line included) over a fresh socket and read
 * the whole answer. No HTTP client in between, so nothing normalises the target.
 */
export function rawRequest(port: number, requestLine: string, headers: string[] = []): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let data = "";
    socket.setEncoding("latin1");
    socket.setTimeout(5_000, () => socket.destroy(new Error(`no answer to ${requestLine}`)));
    socket.on("data", (chunk) => {
      data += chunk;
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const split = data.indexOf("\r\n\r\n");
      const head = split < 0 ? data : data.slice(0, split);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: split < 0 ? "" : data.slice(split + 4) });
    });
    socket.write([requestLine, "Host: 127.0.0.1", "Connection: close", ...headers, "", ""].join("\r\n"));
  });
}
