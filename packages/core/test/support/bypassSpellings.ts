/**
 * Request lines that spell a paid `GET /paid` (and `/api/*`) differently on the wire. A server
 * adapter passes when none of them reaches the handler without payment: each must get 402, or
 * never reach the paid handler (404, 400, …). Shared by every server adapter's tests.
 */
export const BYPASS_REQUEST_LINES: readonly string[] = [
  "GET /paid HTTP/1.1",
  "GET http://127.0.0.1/paid HTTP/1.1",
  "GET http://127.0.0.1:80/paid?x=1 HTTP/1.1",
  "GET HTTP://EVIL.EXAMPLE/paid HTTP/1.1",
  "GET https://127.0.0.1/paid/ HTTP/1.1",
  "GET /PAID HTTP/1.1",
  "GET /Paid/ HTTP/1.1",
  "GET /paid/ HTTP/1.1",
  "GET //paid HTTP/1.1",
  "GET /paid// HTTP/1.1",
  "GET /./paid HTTP/1.1",
  "GET /x/../paid HTTP/1.1",
  "GET /%70aid HTTP/1.1",
  "GET /%50AID HTTP/1.1",
  "GET /paid%2F HTTP/1.1",
  "GET /paid;x=1 HTTP/1.1",
  "GET /paid?free=1 HTTP/1.1",
  "GET /paid#frag HTTP/1.1",
  "GET /\\paid HTTP/1.1",
  "HEAD /paid HTTP/1.1",
  "head /paid HTTP/1.1",
  "GET /api/x HTTP/1.1",
  "GET /API/x HTTP/1.1",
  "GET /api/../api/x HTTP/1.1",
  "GET /api%2Fx HTTP/1.1",
  "GET http://127.0.0.1/api/x HTTP/1.1",
  "GET /api HTTP/1.1",
  "OPTIONS /api/x HTTP/1.1",
  "OPTIONS /paid HTTP/1.1",
];

/** The body every paid handler in the suite answers with; it must never appear unpaid. */
export const PAID_BODY = "paid-content-7f3a";
