import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { x402Facilitator } from "@x402kit/core/facilitator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningFacilitatorServer, startFacilitatorServer } from "../src/index.js";
import { call, FakeScheme, NETWORK, PAYER, paymentPayload, post, SIGNER, validBody } from "./fixtures.js";

const scheme = new FakeScheme();
const facilitator = new x402Facilitator().register(NETWORK, scheme);
const errors: unknown[] = [];
let service: RunningFacilitatorServer;

beforeAll(async () => {
  service = await startFacilitatorServer(facilitator, {
    port: 0,
    logger: { info: () => {}, error: (_message, error) => errors.push(error) },
  });
});
afterAll(() => service.close());

describe("endpoints", () => {
  it("GET /supported lists kinds, extensions and signers", async () => {
    const { status, body, headers } = await call(`${service.url}/supported`);
    expect(status).toBe(200);
    expect(headers.get("content-type")).toMatch(/^application\/json/);
    expect(body).toEqual({
      kinds: [{ x402Version: 2, scheme: "exact", network: NETWORK }],
      extensions: [],
      signers: { "eip155:*": [SIGNER] },
    });
  });

  it("HEAD /supported answers like GET without a body", async () => {
    const { status, text } = await call(`${service.url}/supported`, { method: "HEAD" });
    expect(status).toBe(200);
    expect(text).toBe("");
  });

  it("GET /health is ok", async () => {
    expect(await call(`${service.url}/health`)).toMatchObject({ status: 200, body: { status: "ok" } });
  });

  it("POST /verify and /settle pass a well-formed body to the engine", async () => {
    const verified = await post(`${service.url}/verify`, validBody());
    expect(verified).toMatchObject({ status: 200, body: { isValid: true, payer: PAYER } });
    const settled = await post(`${service.url}/settle`, validBody());
    expect(settled).toMatchObject({ status: 200, body: { success: true, network: NETWORK } });
  });

  it("ignores the query string and trailing slashes", async () => {
    expect((await call(`${service.url}/supported/?pretty=1`)).status).toBe(200);
  });

  it("accepts JSON under any content type, or none", async () => {
    const text = JSON.stringify(validBody());
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "nonsense;;;=", ""]) {
      const res = await call(`${service.url}/verify`, {
        method: "POST",
        headers: { "content-type": type },
        body: text,
      });
      expect(res.status).toBe(200);
    }
  });

  it("answers an invalid payment with 200 and a reason", async () => {
    const body = validBody();
    (body.paymentRequirements as Record<string, unknown>).network = "eip155:1";
    expect(await post(`${service.url}/verify`, body)).toMatchObject({
      status: 200,
      body: { isValid: false, invalidReason: "invalid_network" },
    });
  });
});

describe("malformed requests are 4xx with a reason", () => {
  const cases: Array<[string, unknown, number, string, RegExp?]> = [
    ["not JSON", "{not json", 400, "invalid_json"],
    ["an empty body", "", 400, "invalid_json", /empty/],
    ["a JSON array", [validBody()], 400, "invalid_payload"],
    ["JSON null", "null", 400, "invalid_payload"],
    ["a JSON string", '"hello"', 400, "invalid_payload"],
    [
      "a missing paymentPayload",
      { ...validBody(), paymentPayload: undefined },
      400,
      "invalid_payload",
      /paymentPayload/,
    ],
    [
      "a missing paymentRequirements",
      { ...validBody(), paymentRequirements: undefined },
      400,
      "invalid_payload",
      /paymentRequirements/,
    ],
    [
      "a decimal amount",
      { ...validBody(), paymentRequirements: { ...validBody().paymentRequirements!, amount: "1.5" } },
      400,
      "invalid_payment_requirements",
      /amount/,
    ],
    [
      "a negative amount",
      { ...validBody(), paymentRequirements: { ...validBody().paymentRequirements!, amount: "-1" } },
      400,
      "invalid_payment_requirements",
      /amount/,
    ],
    [
      "a numeric amount",
      { ...validBody(), paymentRequirements: { ...validBody().paymentRequirements!, amount: 1000 } },
      400,
      "invalid_payment_requirements",
      /amount/,
    ],
    [
      "a bad amount in the payload's accepted",
      {
        ...validBody(),
        paymentPayload: { ...paymentPayload, accepted: { ...paymentPayload.accepted, amount: "1e6" } },
      },
      400,
      "invalid_payload",
      /amount/,
    ],
    ["x402Version 1", { ...validBody(), x402Version: 1 }, 400, "invalid_x402_version"],
    [
      "a v1 payload inside a v2 envelope",
      { ...validBody(), paymentPayload: { ...paymentPayload, x402Version: 1 } },
      400,
      "invalid_x402_version",
    ],
    ["x402Version 3", { ...validBody(), x402Version: 3 }, 400, "invalid_payload", /x402Version/],
  ];

  for (const [name, body, status, error, message] of cases) {
    it(`${name} → ${status} ${error}`, async () => {
      for (const endpoint of ["verify", "settle"]) {
        const res = await post(`${service.url}/${endpoint}`, typeof body === "string" ? body : body);
        expect(res.status).toBe(status);
        expect(res.body.error).toBe(error);
        expect(typeof res.body.message).toBe("string");
        if (message) expect(res.body.message).toMatch(message);
      }
    });
  }

  it("invalid UTF-8 → 400 invalid_json", async () => {
    const res = await call(`${service.url}/verify`, {
      method: "POST",
      body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
    });
    expect(res).toMatchObject({
      status: 400,
      body: { error: "invalid_json", message: expect.stringMatching(/UTF-8/) },
    });
  });

  it("a body over the limit → 413 (declared length)", async () => {
    const huge = JSON.stringify({ ...validBody(), padding: "x".repeat(100 * 1024) });
    const res = await post(`${service.url}/verify`, huge);
    expect(res).toMatchObject({ status: 413, body: { error: "payload_too_large" } });
  });

  it("a chunked body over the limit → 413 without buffering it", async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${service.url}/settle`, { method: "POST" }, (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on("error", reject);
      const chunk = "x".repeat(16 * 1024);
      for (let i = 0; i < 8; i++) req.write(chunk);
      req.end();
    });
    expect(status).toBe(413);
    expect(JSON.parse(body).error).toBe("payload_too_large");
  });

  it("unknown path → 404", async () => {
    for (const path of ["/", "/verify/extra", "/VERIFY", "/admin", "/supported.json"]) {
      const res = await call(`${service.url}${path}`);
      expect(res).toMatchObject({ status: 404, body: { error: "not_found" } });
    }
  });

  it("wrong method → 405 with Allow", async () => {
    const get = await call(`${service.url}/verify`);
    expect(get).toMatchObject({ status: 405, body: { error: "method_not_allowed" } });
    expect(get.headers.get("allow")).toBe("POST");
    const postSupported = await post(`${service.url}/supported`, {});
    expect(postSupported.status).toBe(405);
    expect(postSupported.headers.get("allow")).toBe("GET, HEAD");
    for (const method of ["PUT", "DELETE", "PATCH", "OPTIONS"])
      expect((await call(`${service.url}/settle`, { method })).status).toBe(405);
  });

  it("malformed HTTP → 400 JSON, and the server keeps serving", async () => {
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(service.port, "127.0.0.1", () => socket.write("GARBAGE / NOPE\r\n\r\n"));
      let text = "";
      socket.on("data", (chunk) => (text += chunk));
      socket.on("close", () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect(reply).toMatch(/"error":"bad_request"/);
    expect((await call(`${service.url}/health`)).status).toBe(200);
  });

  it("a client hanging up mid-body is neither an error nor a crash", async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(service.port, "127.0.0.1", () => {
        socket.write('POST /settle HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"x402Version":');
        setTimeout(() => socket.destroy(), 20);
      });
      socket.on("close", () => resolve());
    });
    await new Promise((r) => setTimeout(r, 50));
    expect((await call(`${service.url}/health`)).status).toBe(200);
  });

  it("no mutation of a valid body produces a 5xx", async () => {
    const weird = [null, 0, -1, 1.5, "", "x", true, [], {}, "9".repeat(100), { __proto__: null }];
    const paths = [
      ["x402Version"],
      ["paymentPayload"],
      ["paymentPayload", "x402Version"],
      ["paymentPayload", "payload"],
      ["paymentPayload", "accepted"],
      ["paymentPayload", "accepted", "network"],
      ["paymentPayload", "resource"],
      ["paymentPayload", "extensions"],
      ["paymentRequirements"],
      ["paymentRequirements", "scheme"],
      ["paymentRequirements", "network"],
      ["paymentRequirements", "amount"],
      ["paymentRequirements", "asset"],
      ["paymentRequirements", "payTo"],
      ["paymentRequirements", "maxTimeoutSeconds"],
      ["paymentRequirements", "extra"],
    ];
    const statuses = new Set<number>();
    for (const path of paths) {
      for (const value of weird) {
        const body = validBody();
        let target = body as Record<string, unknown>;
        for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
        target[path.at(-1)!] = value;
        const res = await post(`${service.url}/${statuses.size % 2 ? "settle" : "verify"}`, body);
        statuses.add(res.status);
        expect(res.status, `${path.join(".")} = ${JSON.stringify(value)}`).toBeLessThan(500);
      }
    }
    expect(statuses.has(400)).toBe(true);
  });
});

describe("failures inside the engine", () => {
  it("a scheme that throws → 200 unexpected_verify_error / unexpected_settle_error", async () => {
    scheme.verifyImpl = () => Promise.reject(new Error("RPC down"));
    scheme.settleImpl = () => Promise.reject(new Error("RPC down"));
    try {
      expect(await post(`${service.url}/verify`, validBody())).toMatchObject({
        status: 200,
        body: { isValid: false, invalidReason: "unexpected_verify_error", invalidMessage: "RPC down" },
      });
      expect(await post(`${service.url}/settle`, validBody())).toMatchObject({
        status: 200,
        body: { success: false, errorReason: "unexpected_settle_error", transaction: "" },
      });
    } finally {
      scheme.verifyImpl = new FakeScheme().verifyImpl;
      scheme.settleImpl = new FakeScheme().settleImpl;
    }
  });

  it("BigInts in a result are written as decimal strings", async () => {
    scheme.settleImpl = async () =>
      ({ success: true, transaction: "0x1", network: NETWORK, amount: 10n ** 30n }) as never;
    try {
      expect((await post(`${service.url}/settle`, validBody())).body.amount).toBe(
        "1000000000000000000000000000000",
      );
    } finally {
      scheme.settleImpl = new FakeScheme().settleImpl;
    }
  });

  it("a throwing gate hook → 200 with before_verify_hook_error; nothing is let through", async () => {
    const broken = new x402Facilitator().register(NETWORK, new FakeScheme()).onBeforeVerify(() => {
      throw new Error("hook bug");
    });
    const other = await startFacilitatorServer(broken, {
      port: 0,
      logger: { info: () => {}, error: () => {} },
    });
    try {
      expect(await post(`${other.url}/verify`, validBody())).toMatchObject({
        status: 200,
        body: { isValid: false, invalidReason: "before_verify_hook_error", invalidMessage: "hook bug" },
      });
    } finally {
      await other.close();
    }
  });

  it("an engine that throws → 503 unavailable, logged, and the service lives on", async () => {
    const scheme = new FakeScheme();
    scheme.getExtra = () => {
      throw new Error("scheme bug");
    };
    const broken = new x402Facilitator().register(NETWORK, scheme);
    const logged: unknown[] = [];
    const other = await startFacilitatorServer(broken, {
      port: 0,
      logger: { info: () => {}, error: (_m, e) => logged.push(e) },
    });
    try {
      expect(await call(`${other.url}/supported`)).toMatchObject({
        status: 503,
        body: { error: "unavailable" },
      });
      expect(logged).toHaveLength(1);
      expect((await post(`${other.url}/verify`, validBody())).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe("authentication", () => {
  let secured: RunningFacilitatorServer;
  beforeAll(async () => {
    secured = await startFacilitatorServer(facilitator, { port: 0, apiKey: ["old-key-123", "new-key-456"] });
  });
  afterAll(() => secured.close());

  it("401 without or with a wrong bearer token", async () => {
    const missing = await post(`${secured.url}/verify`, validBody());
    expect(missing).toMatchObject({ status: 401, body: { error: "unauthorized" } });
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
    for (const authorization of ["Bearer wrong", "Basic b2xkLWtleS0xMjM=", "old-key-123", "Bearer "]) {
      expect((await post(`${secured.url}/settle`, validBody(), { authorization })).status).toBe(401);
    }
    expect((await call(`${secured.url}/supported`)).status).toBe(401);
  });

  it("serves every accepted key; /health stays open", async () => {
    for (const key of ["old-key-123", "new-key-456"]) {
      const res = await post(`${secured.url}/verify`, validBody(), { authorization: `Bearer ${key}` });
      expect(res.status).toBe(200);
    }
    expect((await call(`${secured.url}/health`)).status).toBe(200);
  });

  it("checks the key before reading the body", async () => {
    const res = await post(`${secured.url}/verify`, "x".repeat(200 * 1024));
    expect(res.status).toBe(401);
  });
});

describe("base path and shutdown", () => {
  it("serves under a base path and 404s outside it", async () => {
    const mounted = await startFacilitatorServer(facilitator, { port: 0, basePath: "/facilitator/" });
    try {
      expect(mounted.url).toMatch(/\/facilitator$/);
      expect((await call(`${mounted.url}/supported`)).status).toBe(200);
      expect((await call(`${mounted.url.replace(/\/facilitator$/, "")}/supported`)).status).toBe(404);
    } finally {
      await mounted.close();
    }
  });

  it("close() lets a settlement in flight finish, then refuses connections", async () => {
    const slow = new FakeScheme();
    let release!: () => void;
    const started = new Promise<void>((resolve) => {
      slow.settleImpl = () =>
        new Promise((done) => {
          resolve();
          release = () => done({ success: true, transaction: "0x2", network: NETWORK });
        });
    });
    const other = await startFacilitatorServer(new x402Facilitator().register(NETWORK, slow), { port: 0 });
    const inFlight = post(`${other.url}/settle`, validBody());
    await started;
    let closed = false;
    const closing = other.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(false);
    release();
    expect(await inFlight).toMatchObject({ status: 200, body: { success: true } });
    await closing;
    await expect(fetch(`${other.url}/health`)).rejects.toThrow();
    await other.close(); // idempotent
  });
});

it("logged no unexpected errors on the shared server", () => {
  expect(errors).toEqual([]);
});
