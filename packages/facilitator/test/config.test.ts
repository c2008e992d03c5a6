import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isX402Error } from "@x402kit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCliArgs } from "../src/cli/parseCliArgs.js";
import { loadFacilitatorConfig, redactUrl, validateFacilitatorConfig } from "../src/index.js";

const KEY = `0x${"ab".repeat(32)}`;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "x402-facilitator-config-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function writeConfig(name: string, content: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

/** The error a config load throws; asserts it is a config error that does not leak the key. */
async function configFailure(promise: Promise<unknown> | (() => unknown)): Promise<string> {
  let error: unknown;
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (e) {
    error = e;
  }
  expect(isX402Error(error, "invalid_facilitator_config"), String(error)).toBe(true);
  const message = (error as Error).message;
  expect(message).not.toContain(KEY.slice(2, 20));
  return message;
}

describe("loadFacilitatorConfig", () => {
  it("reads a JSON file and fills in defaults", async () => {
    const file = await writeConfig("min.json", {
      networks: { "eip155:31337": { rpcUrl: "http://127.0.0.1:8545" } },
      signerKey: KEY,
    });
    expect(await loadFacilitatorConfig({ file, env: {} })).toEqual({
      networks: { "eip155:31337": { rpcUrl: "http://127.0.0.1:8545" } },
      signerKey: KEY,
      port: 4020,
      host: "127.0.0.1",
    });
  });

  it("reads the environment alone", async () => {
    const config = await loadFacilitatorConfig({
      env: {
        X402_FACILITATOR_PRIVATE_KEY: KEY,
        X402_FACILITATOR_PORT: "8080",
        X402_FACILITATOR_HOST: "0.0.0.0",
        X402_FACILITATOR_API_KEY: "secret-key-1",
        X402_RPC_URL_31337: "http://127.0.0.1:8545",
        X402_RPC_URL_8453: "https://mainnet.base.org",
        UNRELATED: "x",
      },
    });
    expect(config).toEqual({
      networks: {
        "eip155:31337": { rpcUrl: "http://127.0.0.1:8545" },
        "eip155:8453": { rpcUrl: "https://mainnet.base.org" },
      },
      signerKey: KEY,
      port: 8080,
      host: "0.0.0.0",
      apiKey: "secret-key-1",
    });
  });

  it("lets the environment override the file, network by network", async () => {
    const file = await writeConfig("full.json", {
      networks: {
        "eip155:31337": { rpcUrl: "http://127.0.0.1:8545", pollingIntervalMs: 100 },
        "eip155:84532": { rpcUrl: "https://sepolia.base.org" },
      },
      signerKey: `0x${"cd".repeat(32)}`,
      port: 4021,
      host: "localhost",
      apiKey: ["first-key-1", "second-key"],
      maxBodyBytes: 1024,
    });
    const config = await loadFacilitatorConfig({
      file,
      env: {
        X402_FACILITATOR_PRIVATE_KEY: KEY,
        X402_RPC_URL_31337: "http://127.0.0.1:9545",
        X402_FACILITATOR_PORT: "",
      },
    });
    expect(config).toEqual({
      networks: {
        "eip155:31337": { rpcUrl: "http://127.0.0.1:9545", pollingIntervalMs: 100 },
        "eip155:84532": { rpcUrl: "https://sepolia.base.org" },
      },
      signerKey: KEY,
      port: 4021,
      host: "localhost",
      apiKey: ["first-key-1", "second-key"],
      maxBodyBytes: 1024,
    });
  });

  it("splits a comma-separated API key variable for rotation", async () => {
    const config = await loadFacilitatorConfig({
      env: {
        X402_FACILITATOR_PRIVATE_KEY: KEY,
        X402_RPC_URL_1: "https://eth.example",
        X402_FACILITATOR_API_KEY: "old-key-1, new-key-2",
      },
    });
    expect(config.apiKey).toEqual(["old-key-1", "new-key-2"]);
  });

  it("names the file for a missing file or invalid JSON, without quoting its content", async () => {
    expect(await configFailure(loadFacilitatorConfig({ file: join(dir, "nope.json"), env: {} }))).toMatch(
      /nope\.json: cannot read the config file \(ENOENT\)/,
    );
    const broken = await writeConfig("broken.json", `{\n  "signerKey": "${KEY}",\n  "port": 40 20\n}`);
    expect(await configFailure(loadFacilitatorConfig({ file: broken, env: {} }))).toMatch(
      /broken\.json: the config file is not valid JSON at line 3, column \d+/,
    );
    const array = await writeConfig("array.json", "[]");
    expect(await configFailure(loadFacilitatorConfig({ file: array, env: {} }))).toMatch(
      /must contain a JSON object/,
    );
  });

  const base = { networks: { "eip155:31337": { rpcUrl: "http://127.0.0.1:8545" } }, signerKey: KEY };
  const fileCases: Array<[string, unknown, RegExp]> = [
    ["a typo in a field", { ...base, signerkey: KEY }, /^signerkey \(in .*\): unknown field/],
    [
      "a typo in a network field",
      { ...base, networks: { "eip155:1": { rpcURL: "http://x" } } },
      /networks\.eip155:1\.rpcURL .*unknown field/,
    ],
    ["no networks", { signerKey: KEY }, /^networks .*at least one network is required/],
    ["empty networks", { ...base, networks: {} }, /^networks .*at least one network/],
    [
      "a non-EVM network",
      { ...base, networks: { "solana:abc": { rpcUrl: "http://x" } } },
      /networks\.solana:abc .*eip155:<chainId>/,
    ],
    [
      "a bad chain id",
      { ...base, networks: { "eip155:0x1": { rpcUrl: "http://x" } } },
      /networks\.eip155:0x1 /,
    ],
    [
      "a missing rpcUrl",
      { ...base, networks: { "eip155:1": {} } },
      /networks\.eip155:1\.rpcUrl .*is required/,
    ],
    [
      "a ws rpcUrl",
      { ...base, networks: { "eip155:1": { rpcUrl: "ws://x" } } },
      /rpcUrl .*must be an http\(s\) URL/,
    ],
    [
      "a non-URL rpcUrl",
      { ...base, networks: { "eip155:1": { rpcUrl: "localhost:8545" } } },
      /rpcUrl .*(valid URL|http\(s\))/,
    ],
    ["a string port", { ...base, port: "80" }, /^port .*integer between 0 and 65535/],
    ["a port too large", { ...base, port: 70000 }, /^port /],
    ["an empty host", { ...base, host: " " }, /^host /],
    ["a short apiKey", { ...base, apiKey: "short" }, /^apiKey .*at least 8/],
    ["a bad maxBodyBytes", { ...base, maxBodyBytes: -1 }, /^maxBodyBytes .*positive integer/],
    ["no signerKey", { networks: base.networks }, /^signerKey .*is required/],
    ["a short signerKey", { ...base, signerKey: KEY.slice(0, 40) }, /^signerKey .*32-byte hex private key/],
    ["a signerKey without 0x", { ...base, signerKey: KEY.slice(2) }, /^signerKey .*32-byte hex/],
  ];
  for (const [name, content, message] of fileCases) {
    it(`rejects ${name}, naming the field`, async () => {
      const file = await writeConfig(`${name.replaceAll(" ", "-")}.json`, content);
      expect(await configFailure(loadFacilitatorConfig({ file, env: {} }))).toMatch(message);
    });
  }

  it("names the environment variable at fault", async () => {
    const env = { X402_FACILITATOR_PRIVATE_KEY: KEY, X402_RPC_URL_31337: "http://127.0.0.1:8545" };
    expect(
      await configFailure(loadFacilitatorConfig({ env: { ...env, X402_FACILITATOR_PORT: "eighty" } })),
    ).toMatch(/^X402_FACILITATOR_PORT: must be an integer/);
    expect(
      await configFailure(loadFacilitatorConfig({ env: { ...env, X402_RPC_URL_BASE: "https://x" } })),
    ).toMatch(/^X402_RPC_URL_BASE: the suffix must be a decimal chain id/);
    expect(
      await configFailure(loadFacilitatorConfig({ env: { ...env, X402_RPC_URL_31337: "ftp://x" } })),
    ).toMatch(/^X402_RPC_URL_31337: must be an http\(s\) URL/);
    const badKey = `0x${"ab".repeat(31)}zz`;
    const message = await configFailure(
      loadFacilitatorConfig({ env: { ...env, X402_FACILITATOR_PRIVATE_KEY: badKey } }),
    );
    expect(message).toMatch(/^X402_FACILITATOR_PRIVATE_KEY: must be a 0x-prefixed/);
    expect(message).not.toContain("abab");
  });

  it("validateFacilitatorConfig checks a hand-built config", async () => {
    expect(validateFacilitatorConfig(base)).toMatchObject({ port: 4020, host: "127.0.0.1" });
    expect(await configFailure(() => validateFacilitatorConfig(null))).toMatch(/must be a JSON object/);
  });
});

describe("helpers", () => {
  it("redactUrl keeps scheme and host only", () => {
    expect(redactUrl("https://base-mainnet.g.alchemy.com/v2/SECRET")).toBe(
      "https://base-mainnet.g.alchemy.com/…",
    );
    expect(redactUrl("https://user:pass@rpc.example?key=1")).toBe("https://rpc.example/…");
    expect(redactUrl("http://127.0.0.1:8545")).toBe("http://127.0.0.1:8545");
    expect(redactUrl("nope")).toBe("(invalid URL)");
  });

  it("parseCliArgs reads --config, --port, --host and rejects the rest", async () => {
    expect(parseCliArgs(["-c", "f.json", "--port", "0", "--host", "::1"])).toEqual({
      help: false,
      config: "f.json",
      port: 0,
      host: "::1",
    });
    expect(parseCliArgs(["--help"]).help).toBe(true);
    expect(await configFailure(() => parseCliArgs(["--port", "http"]))).toMatch(/^--port: /);
    expect(await configFailure(() => parseCliArgs(["--verbose"]))).toMatch(/^command line: .*verbose/);
    expect(await configFailure(() => parseCliArgs(["serve"]))).toMatch(/^command line: /);
  });
});
