import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { isX402Error } from "@x402kit/core";
import type { FacilitatorPlugin } from "@x402kit/core/facilitator";
import { exactEvmFacilitatorPlugin } from "@x402kit/evm/exact/facilitator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCliArgs } from "../src/cli/parseCliArgs.js";
import {
  cliUsage,
  loadFacilitatorConfig,
  networkEnvName,
  redactUrl,
  runFacilitatorCli,
  SERVICE_OPTIONS,
  signerEnvName,
  validateFacilitatorConfig,
} from "../src/index.js";

const KEY = `0x${"ab".repeat(32)}`;
const KEY2 = `0x${"cd".repeat(32)}`;
const plugins = new Map([["eip155", exactEvmFacilitatorPlugin as FacilitatorPlugin]]);
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

const local = { "eip155:31337": { rpcUrl: "http://127.0.0.1:8545" } };
const signers = { eip155: { privateKeys: [KEY] } };

describe("loadFacilitatorConfig", () => {
  it("reads a JSON file keyed by CAIP-2 network with a signer per family, and fills in defaults", async () => {
    const file = await writeConfig("min.json", { networks: local, signers });
    expect(await loadFacilitatorConfig({ file, env: {} })).toEqual({
      networks: local,
      signers,
      port: 4020,
      host: "127.0.0.1",
      store: "memory",
    });
  });

  it("reaches every option from the environment alone", async () => {
    const env: Record<string, string> = {
      X402_FACILITATOR_PORT: "8080",
      X402_FACILITATOR_HOST: "0.0.0.0",
      X402_FACILITATOR_API_KEY: "secret-key-1",
      X402_FACILITATOR_MAX_BODY_BYTES: "2048",
      X402_FACILITATOR_STORE: "redis://127.0.0.1:6379/0",
      X402_NETWORKS_EIP155_31337_RPC_URL: "http://127.0.0.1:8545",
      X402_NETWORKS_EIP155_31337_POLLING_INTERVAL_MS: "50",
      X402_NETWORKS_EIP155_31337_RECEIPT_TIMEOUT_MS: "3000",
      X402_NETWORKS_EIP155_31337_RPC_TIMEOUT_MS: "4000",
      X402_NETWORKS_EIP155_31337_SIMULATE_IN_SETTLE: "true",
      X402_NETWORKS_EIP155_31337_GUARD_TTL_MS: "5000",
      X402_NETWORKS_EIP155_31337_RECORD_TTL_MS: "60000",
      X402_NETWORKS_EIP155_31337_MAX_FEE_PER_GAS_WEI: "100000000000",
      X402_NETWORKS_EIP155_31337_PRIORITY_FEE_PER_GAS_WEI: "1000000",
      X402_NETWORKS_EIP155_31337_RECONCILE_INTERVAL_MS: "7000",
      X402_NETWORKS_EIP155_31337_REBROADCAST_AFTER_MS: "45000",
      X402_NETWORKS_EIP155_31337_ALLOWED_ASSETS: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      X402_NETWORKS_EIP155_31337_EIP6492_ALLOWED_FACTORIES: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      X402_NETWORKS_EIP155_31337_UPTO: "true",
      X402_NETWORKS_EIP155_31337_V1_NETWORK_NAME: "anvil-local",
      X402_NETWORKS_EIP155_31337_EIP2612_GAS_SPONSORING: "true",
      X402_NETWORKS_EIP155_31337_ERC20_APPROVAL_GAS_SPONSORING: "true",
      X402_NETWORKS_EIP155_31337_SPONSOR_MAX_FUNDING_WEI: "2000000000000000",
      X402_NETWORKS_EIP155_31337_SPONSOR_BUDGET_WEI: "300000000000000000",
      X402_NETWORKS_EIP155_31337_SPONSOR_BUDGET_WINDOW_MS: "3600000",
      X402_NETWORKS_EIP155_31337_SPONSOR_COOLDOWN_MS: "7200000",
      X402_NETWORKS_EIP155_31337_SPONSOR_MAX_FEE_MULTIPLIER: "3",
      X402_NETWORKS_EIP155_8453_RPC_URL: "https://mainnet.base.org",
      X402_SIGNERS_EIP155_PRIVATE_KEYS: `${KEY}, ${KEY2}`,
      X402_SIGNERS_EIP155_SPONSOR_PRIVATE_KEY: KEY2,
      UNRELATED: "x",
    };
    // Every option the service and the EVM plugin declare has its variable here.
    for (const { env: name } of SERVICE_OPTIONS) expect(env).toHaveProperty(name);
    for (const option of exactEvmFacilitatorPlugin.networkOptions)
      expect(env).toHaveProperty(networkEnvName("eip155:31337", option.name));
    for (const option of exactEvmFacilitatorPlugin.signerOptions)
      expect(env).toHaveProperty(signerEnvName("eip155", option.name));

    expect(await loadFacilitatorConfig({ env })).toEqual({
      networks: {
        "eip155:31337": {
          rpcUrl: "http://127.0.0.1:8545",
          pollingIntervalMs: 50,
          receiptTimeoutMs: 3000,
          rpcTimeoutMs: 4000,
          simulateInSettle: true,
          guardTtlMs: 5000,
          recordTtlMs: 60000,
          maxFeePerGasWei: 100000000000,
          priorityFeePerGasWei: 1000000,
          reconcileIntervalMs: 7000,
          rebroadcastAfterMs: 45000,
          allowedAssets: ["0x5FbDB2315678afecb367f032d93F642f64180aa3"],
          eip6492AllowedFactories: ["0x5FbDB2315678afecb367f032d93F642f64180aa3"],
          upto: true,
          v1NetworkName: "anvil-local",
          eip2612GasSponsoring: true,
          erc20ApprovalGasSponsoring: true,
          sponsorMaxFundingWei: "2000000000000000",
          sponsorBudgetWei: "300000000000000000",
          sponsorBudgetWindowMs: 3600000,
          sponsorCooldownMs: 7200000,
          sponsorMaxFeeMultiplier: 3,
        },
        "eip155:8453": { rpcUrl: "https://mainnet.base.org" },
      },
      signers: { eip155: { privateKeys: [KEY, KEY2], sponsorPrivateKey: KEY2 } },
      port: 8080,
      host: "0.0.0.0",
      apiKey: "secret-key-1",
      maxBodyBytes: 2048,
      store: "redis://127.0.0.1:6379/0",
    });
  });

  it("still reads the older EVM variables and the signerKey field", async () => {
    const config = await loadFacilitatorConfig({
      env: { X402_FACILITATOR_PRIVATE_KEY: KEY, X402_RPC_URL_31337: "http://127.0.0.1:8545" },
    });
    expect(config).toMatchObject({ networks: local, signers });
    const file = await writeConfig("legacy.json", { networks: local, signerKey: KEY });
    expect(await loadFacilitatorConfig({ file, env: {} })).toMatchObject({ signers });
  });

  it("lets the environment override the file, option by option", async () => {
    const file = await writeConfig("full.json", {
      networks: {
        "eip155:31337": { rpcUrl: "http://127.0.0.1:8545", pollingIntervalMs: 100 },
        "eip155:84532": { rpcUrl: "https://sepolia.base.org" },
      },
      signers: { eip155: { privateKeys: [KEY2] } },
      port: 4021,
      host: "localhost",
      apiKey: ["first-key-1", "second-key"],
      maxBodyBytes: 1024,
      store: "sqlite:/tmp/x.db",
    });
    const config = await loadFacilitatorConfig({
      file,
      env: {
        X402_SIGNERS_EIP155_PRIVATE_KEYS: KEY,
        X402_NETWORKS_EIP155_31337_RPC_URL: "http://127.0.0.1:9545",
        X402_FACILITATOR_PORT: "",
      },
    });
    expect(config).toEqual({
      networks: {
        "eip155:31337": { rpcUrl: "http://127.0.0.1:9545", pollingIntervalMs: 100 },
        "eip155:84532": { rpcUrl: "https://sepolia.base.org" },
      },
      signers,
      port: 4021,
      host: "localhost",
      apiKey: ["first-key-1", "second-key"],
      maxBodyBytes: 1024,
      store: "sqlite:/tmp/x.db",
    });
  });

  it("keeps the file's spelling of a case-sensitive network reference set from an upper-cased variable", async () => {
    const family: FacilitatorPlugin = {
      family: "solana",
      networkOptions: [{ name: "rpcUrl", type: "url", required: true, description: "RPC" }],
      signerOptions: [],
      parse: () => ({ ok: true, config: {} }),
      create: async () => [],
    };
    const network = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1";
    const file = await writeConfig("solana.json", { networks: { [network]: { rpcUrl: "http://a" } } });
    const config = await loadFacilitatorConfig({
      file,
      plugins: [family],
      env: { [`X402_NETWORKS_SOLANA_${network.slice(7).toUpperCase()}_RPC_URL`]: "http://b" },
    });
    expect(config.networks).toEqual({ [network]: { rpcUrl: "http://b" } });
  });

  it("loads a plugin from a module named on the command line or in X402_FACILITATOR_PLUGINS", async () => {
    const module = join(dir, "fakePlugin.mjs");
    await writeFile(
      module,
      `export const testDoublePlugin = { family: "fake", networkOptions: [{ name: "endpoint", type: "url", required: true, description: "x" }],
        signerOptions: [], parse: () => ({ ok: true, config: {} }), create: async () => [] };`,
    );
    const config = await loadFacilitatorConfig({
      pluginModules: [pathToFileURL(module).href],
      env: { X402_NETWORKS_FAKE_NET1_ENDPOINT: "http://fake.example" },
    });
    expect(config.networks).toEqual({ "fake:NET1": { endpoint: "http://fake.example" } });
    expect(
      await configFailure(loadFacilitatorConfig({ pluginModules: [join(dir, "missing.mjs")], env: {} })),
    ).toMatch(/cannot load .*missing\.mjs/);
  });

  it("splits a comma-separated API key variable for rotation", async () => {
    const config = await loadFacilitatorConfig({
      env: {
        X402_SIGNERS_EIP155_PRIVATE_KEYS: KEY,
        X402_NETWORKS_EIP155_1_RPC_URL: "https://eth.example",
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

  const base = { networks: local, signers };
  const fileCases: Array<[string, unknown, RegExp]> = [
    ["a typo in a field", { ...base, signerkey: KEY }, /^signerkey \(in .*\): unknown field/],
    [
      "a typo in a network option",
      { ...base, networks: { "eip155:1": { rpcURL: "http://x" } } },
      /networks\.eip155:1\.rpcURL .*unknown field/,
    ],
    ["no networks", { signers }, /^networks .*at least one network is required/],
    ["empty networks", { ...base, networks: {} }, /^networks .*at least one network/],
    [
      "a family no plugin serves",
      { ...base, networks: { "cosmos:hub": { rpcUrl: "http://x" } } },
      /networks\.cosmos:\*.*no facilitator plugin serves the family "cosmos"/,
    ],
    [
      "a network that is not CAIP-2",
      { ...base, networks: { base: { rpcUrl: "http://x" } } },
      /networks\.base .*CAIP-2/,
    ],
    [
      "a bad chain id",
      { ...base, networks: { "eip155:0x1": { rpcUrl: "http://x" } } },
      /networks\.eip155:0x1 .*eip155:<decimal chain id>/,
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
    [
      "a zero receipt timeout",
      { ...base, networks: { "eip155:1": { rpcUrl: "http://x", receiptTimeoutMs: 0 } } },
      /receiptTimeoutMs .*positive integer/,
    ],
    [
      "a string simulateInSettle",
      { ...base, networks: { "eip155:1": { rpcUrl: "http://x", simulateInSettle: "yes" } } },
      /simulateInSettle .*true or false/,
    ],
    ["a string port", { ...base, port: "80" }, /^port .*integer between 0 and 65535/],
    ["a port too large", { ...base, port: 70000 }, /^port /],
    ["an empty host", { ...base, host: " " }, /^host /],
    ["a short apiKey", { ...base, apiKey: "short" }, /^apiKey .*at least 8/],
    ["a bad maxBodyBytes", { ...base, maxBodyBytes: -1 }, /^maxBodyBytes .*positive integer/],
    ["an unknown store", { ...base, store: "mongodb://x" }, /^store .*memory, sqlite:<path>, redis/],
    ["no signer", { networks: local }, /^signers\.eip155\.privateKeys .*is required/],
    [
      "a signer for a family without networks",
      { ...base, signers: { ...signers, solana: {} } },
      /^signers\.solana .*no network/,
    ],
    [
      "a short private key",
      { ...base, signers: { eip155: { privateKeys: [KEY.slice(0, 40)] } } },
      /^signers\.eip155\.privateKeys\[0\] .*32-byte hex private key/,
    ],
    [
      "a legacy signerKey without 0x",
      { networks: local, signerKey: KEY.slice(2) },
      /privateKeys\[0\].*32-byte hex/,
    ],
  ];
  for (const [name, content, message] of fileCases) {
    it(`rejects ${name}, naming the field`, async () => {
      const file = await writeConfig(`${name.replaceAll(" ", "-")}.json`, content);
      expect(await configFailure(loadFacilitatorConfig({ file, env: {} }))).toMatch(message);
    });
  }

  it("names the environment variable at fault", async () => {
    const env = {
      X402_SIGNERS_EIP155_PRIVATE_KEYS: KEY,
      X402_NETWORKS_EIP155_31337_RPC_URL: "http://127.0.0.1:8545",
    };
    expect(
      await configFailure(loadFacilitatorConfig({ env: { ...env, X402_FACILITATOR_PORT: "eighty" } })),
    ).toMatch(/^X402_FACILITATOR_PORT: must be an integer/);
    expect(
      await configFailure(loadFacilitatorConfig({ env: { ...env, X402_RPC_URL_BASE: "https://x" } })),
    ).toMatch(/^X402_RPC_URL_BASE: the suffix must be a decimal chain id/);
    expect(
      await configFailure(
        loadFacilitatorConfig({ env: { ...env, X402_NETWORKS_EIP155_31337_RPC_URL: "ftp://x" } }),
      ),
    ).toMatch(/^X402_NETWORKS_EIP155_31337_RPC_URL: must be an http\(s\) URL/);
    expect(
      await configFailure(
        loadFacilitatorConfig({ env: { ...env, X402_NETWORKS_EIP155_31337_RECEIPT_TIMEOUT_MS: "soon" } }),
      ),
    ).toMatch(/^X402_NETWORKS_EIP155_31337_RECEIPT_TIMEOUT_MS: must be a positive integer/);
    expect(
      await configFailure(loadFacilitatorConfig({ env: { ...env, X402_NETWORKS_EIP155_31337_RPC: "x" } })),
    ).toMatch(/^X402_NETWORKS_EIP155_31337_RPC: expected X402_NETWORKS_EIP155_<reference>_<option>/);
    expect(
      await configFailure(loadFacilitatorConfig({ env: { ...env, X402_SIGNERS_EIP155_KEY: "x" } })),
    ).toMatch(/^X402_SIGNERS_EIP155_KEY: unknown signer option/);
    expect(
      await configFailure(
        loadFacilitatorConfig({ env: { ...env, X402_NETWORKS_COSMOS_HUB_RPC_URL: "http://x" } }),
      ),
    ).toMatch(/no facilitator plugin serves the family "cosmos"/);
    const badKey = `0x${"ab".repeat(31)}zz`;
    const message = await configFailure(
      loadFacilitatorConfig({ env: { ...env, X402_SIGNERS_EIP155_PRIVATE_KEYS: `${KEY},${badKey}` } }),
    );
    expect(message).toMatch(/^X402_SIGNERS_EIP155_PRIVATE_KEYS: must be a 0x-prefixed/);
    expect(message).not.toContain("abab");
  });

  it("validateFacilitatorConfig checks a hand-built config", async () => {
    expect(validateFacilitatorConfig({ networks: local, signers }, { plugins })).toMatchObject({
      port: 4020,
      host: "127.0.0.1",
      store: "memory",
    });
    expect(await configFailure(() => validateFacilitatorConfig(null, { plugins }))).toMatch(
      /must be a JSON object/,
    );
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

  it("parseCliArgs reads --config, --port, --host, --store, --plugin and rejects the rest", async () => {
    expect(
      parseCliArgs([
        "-c",
        "f.json",
        "--port",
        "0",
        "--host",
        "::1",
        "--store",
        "sqlite:x.db",
        "--plugin",
        "m",
      ]),
    ).toEqual({ help: false, config: "f.json", port: 0, host: "::1", store: "sqlite:x.db", plugins: ["m"] });
    expect(parseCliArgs(["--help"]).help).toBe(true);
    expect(await configFailure(() => parseCliArgs(["--port", "http"]))).toMatch(/^--port: /);
    expect(await configFailure(() => parseCliArgs(["--verbose"]))).toMatch(/^command line: .*verbose/);
    expect(await configFailure(() => parseCliArgs(["serve"]))).toMatch(/^command line: /);
  });

  it("cliUsage lists every option with its config field and environment variable", () => {
    const text = cliUsage([exactEvmFacilitatorPlugin as FacilitatorPlugin]);
    for (const { field, env } of SERVICE_OPTIONS) {
      expect(text).toContain(field);
      expect(text).toContain(env);
    }
    for (const option of exactEvmFacilitatorPlugin.networkOptions) {
      expect(text).toContain(option.name);
      expect(text).toContain(networkEnvName("eip155:8453", option.name));
    }
    for (const option of exactEvmFacilitatorPlugin.signerOptions)
      expect(text).toContain(signerEnvName("eip155", option.name));
    for (const flag of [
      "--config",
      "--port",
      "--host",
      "--store",
      "--plugin",
      "--help",
      "X402_FACILITATOR_CONFIG",
    ])
      expect(text).toContain(flag);
  });

  it("the CLI's --help prints every option and variable, finding the EVM plugin by itself", async () => {
    const lines: string[] = [];
    expect(
      await runFacilitatorCli(["--help"], { env: {}, print: (line) => lines.push(line) }),
    ).toBeUndefined();
    const text = lines.join("\n");
    for (const { env } of SERVICE_OPTIONS) expect(text).toContain(env);
    for (const option of exactEvmFacilitatorPlugin.networkOptions)
      expect(text).toContain(networkEnvName("eip155:8453", option.name));
    expect(text).toContain("X402_SIGNERS_EIP155_PRIVATE_KEYS");
    expect(text).toContain("X402_SIGNERS_EIP155_SPONSOR_PRIVATE_KEY");
  });
});
