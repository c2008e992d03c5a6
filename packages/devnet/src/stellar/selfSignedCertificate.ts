import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A throw-away TLS identity for `127.0.0.1`. */
export interface LoopbackCertificate {
  cert: string;
  key: string;
}

/**
 * A self-signed certificate for `127.0.0.1` valid one day, made with the `openssl` CLI. The
 * official `@x402/stellar` client refuses plain-HTTP RPC URLs, so interop tests serve the
 * stand-in over HTTPS and trust this certificate in their own process.
 *
 * @example
 * ```ts
 * const { cert, key } = loopbackCertificate();
 * ```
 */
export function loopbackCertificate(): LoopbackCertificate {
  const dir = mkdtempSync(join(tmpdir(), "x402kit-stellar-tls-"));
  try {
    const keyPath = join(dir, "key.pem");
    const certPath = join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        keyPath,
        "-out",
        certPath,
      ],
      { stdio: "ignore" },
    );
    return { cert: readFileSync(certPath, "utf8"), key: readFileSync(keyPath, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
