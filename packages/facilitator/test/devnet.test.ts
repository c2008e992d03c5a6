import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isX402Error, type PaymentRequirements } from "@x402kit/core";
import { HTTPFacilitatorClient } from "@x402kit/core/http";
import { type Devnet, startDevnet } from "@x402kit/devnet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFacilitatorFromConfig,
  type FacilitatorConfig,
  loadFacilitatorConfig,
  type RunningFacilitatorServer,
  runFacilitatorCli,
  startFacilitatorServer,
} from "../src/index.js";
import { post } from "./fixtures.js";
import { signPayment as signDevnetPayment } from "./processes.js";

const AMOUNT = 2_500_000n; // 2.50 USDC
let devnet: Devnet;
let config: FacilitatorConfig;
let service: RunningFacilitatorServer;
let client: HTTPFacilitatorClient;

beforeAll(async () => {
  devnet = await startDevnet();
  config = await loadFacilitatorConfig({
    env: {
      X402_SIGNERS_EIP155_PRIVATE_KEYS: devnet.accounts.facilitator.privateKey,
      [`X402_NETWORKS_EIP155_${devnet.chainId}_RPC_URL`]: devnet.rpcUrl,
    },
  });
  config.networks[devnet.network]!.pollingIntervalMs = 50;
  service = await startFacilitatorServer(await createFacilitatorFromConfig(config), { port: 0 });
  client = new HTTPFacilitatorClient({ url: service.url });
});
afterAll(async () => {
  await service?.close();
  await devnet?.stop();
});

function requirementsFor(devnet: Devnet, amount = AMOUNT): PaymentRequirements {
  return {
    scheme: "exact",
    network: devnet.network,
    amount: amount.toString(),
    asset: devnet.usdc.address,
    payTo: devnet.accounts.payTo.address,
    maxTimeoutSeconds: 60,
    extra: { name: devnet.usdc.name, version: devnet.usdc.version },
  };
}

/** The devnet payer's (or `signerKey`'s) EIP-3009 authorization, signed with plain viem. */
const signPayment = (requirements: PaymentRequirements, signerKey?: `0x${string}`) =>
  signDevnetPayment(devnet, requirements, signerKey);

describe("facilitator service on anvil", () => {
  it("/supported lists exact on the devnet and the facilitator's address", async () => {
    const supported = await client.getSupported();
    expect(supported.kinds).toEqual([{ x402Version: 2, scheme: "exact", network: devnet.network }]);
    expect(supported.signers).toEqual({ "eip155:*": [devnet.accounts.facilitator.address] });
  });

  it("verifies and settles a signed payment over HTTP, moving the money once", async () => {
    const requirements = requirementsFor(devnet);
    const payload = await signPayment(requirements);
    const { payer, payTo } = devnet.accounts;
    const before = {
      payer: await devnet.balanceOf(payer.address),
      payTo: await devnet.balanceOf(payTo.address),
    };

    expect(await client.verify(payload, requirements)).toMatchObject({ isValid: true, payer: payer.address });
    const settled = await client.settle(payload, requirements);
    expect(settled).toMatchObject({ success: true, network: devnet.network, payer: payer.address });
    expect(settled.transaction).toMatch(/^0x[0-9a-f]{64}$/);
    const receipt = await devnet.publicClient.getTransactionReceipt({
      hash: settled.transaction as `0x${string}`,
    });
    expect(receipt.from.toLowerCase()).toBe(devnet.accounts.facilitator.address.toLowerCase());

    // A copy of the settled payment is refused as a duplicate; nothing is sent again.
    const sentBefore = await devnet.publicClient.getTransactionCount({
      address: devnet.accounts.facilitator.address,
    });
    expect(await client.settle(payload, requirements)).toMatchObject({
      success: false,
      errorReason: "duplicate_settlement",
    });
    expect(
      await devnet.publicClient.getTransactionCount({ address: devnet.accounts.facilitator.address }),
    ).toBe(sentBefore);
    expect(await client.verify(payload, requirements)).toMatchObject({
      isValid: false,
      invalidReason: "invalid_exact_evm_nonce_already_used",
    });

    expect(await devnet.balanceOf(payer.address)).toBe(before.payer - AMOUNT);
    expect(await devnet.balanceOf(payTo.address)).toBe(before.payTo + AMOUNT);
  });

  it("answers a bad signature or a tampered amount with 200 and the reason, moving nothing", async () => {
    const requirements = requirementsFor(devnet);
    const stranger = await signPayment(requirements, `0x${"42".repeat(32)}`);
    const forged = {
      ...stranger,
      payload: {
        ...stranger.payload,
        authorization: (await signPayment(requirements)).payload.authorization,
      },
    };
    const verified = await post(`${service.url}/verify`, {
      x402Version: 2,
      paymentPayload: forged,
      paymentRequirements: requirements,
    });
    expect(verified).toMatchObject({
      status: 200,
      body: { isValid: false, invalidReason: "invalid_exact_evm_signature" },
    });

    const payload = await signPayment(requirements);
    const higher = requirementsFor(devnet, AMOUNT * 2n);
    const balance = await devnet.balanceOf(devnet.accounts.payTo.address);
    const settled = await post(`${service.url}/settle`, {
      x402Version: 2,
      paymentPayload: payload,
      paymentRequirements: higher,
    });
    expect(settled.status).toBe(200);
    expect(settled.body).toMatchObject({ success: false, transaction: "" });
    expect(await devnet.balanceOf(devnet.accounts.payTo.address)).toBe(balance);
  });

  it("two concurrent settles of one authorization move the money once", async () => {
    const requirements = requirementsFor(devnet);
    const payload = await signPayment(requirements);
    const before = await devnet.balanceOf(devnet.accounts.payTo.address);
    const results = await Promise.all([
      client.settle(payload, requirements),
      client.settle(payload, requirements),
    ]);
    expect(results.filter((r) => r.success)).toHaveLength(1);
    expect(await devnet.balanceOf(devnet.accounts.payTo.address)).toBe(before + AMOUNT);
  });
});

describe("an RPC that goes down", () => {
  it("verify and settle answer 200 with unexpected_*_error, never 5xx", async () => {
    // A switchable proxy in front of anvil: up for the start-up chain-id check, then down.
    let up = true;
    const proxy = createServer(async (req, res) => {
      if (!up) return void res.writeHead(502).end("bad gateway");
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const answer = await fetch(devnet.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      res.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const rpcUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v2/SECRET-API-KEY`;
    const facilitator = await createFacilitatorFromConfig({
      ...config,
      networks: { [devnet.network]: { rpcUrl } },
    });
    const other = await startFacilitatorServer(facilitator, { port: 0 });
    try {
      up = false;
      const requirements = requirementsFor(devnet);
      const body = {
        x402Version: 2,
        paymentPayload: await signPayment(requirements),
        paymentRequirements: requirements,
      };
      const verified = await post(`${other.url}/verify`, body);
      expect(verified).toMatchObject({ status: 200, body: { isValid: false } });
      expect(verified.body.invalidReason).toBe("unexpected_verify_error");
      // viem errors quote the request URL; hosted RPC URLs carry API keys.
      expect(verified.body.invalidMessage).toMatch(/HTTP request failed/);
      expect(verified.body.invalidMessage).not.toContain("SECRET");
      const settled = await post(`${other.url}/settle`, body);
      expect(settled).toMatchObject({ status: 200, body: { success: false, transaction: "" } });
      expect(JSON.stringify(settled.body)).not.toContain("SECRET");
    } finally {
      await other.close();
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

describe("start-up checks", () => {
  async function failure(promise: Promise<unknown>): Promise<string> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isX402Error(error, "invalid_facilitator_config"), String(error)).toBe(true);
    return (error as Error).message;
  }

  it("refuses an RPC on another chain, naming the network", async () => {
    const wrong = { ...config, networks: { "eip155:8453": { rpcUrl: devnet.rpcUrl } } };
    expect(await failure(createFacilitatorFromConfig(wrong))).toMatch(
      /^networks\.eip155:8453\.rpcUrl: the RPC at http:\/\/127\.0\.0\.1:\d+ is on chain 31337, not 8453$/,
    );
  });

  it("reports an unreachable RPC without leaking its path", async () => {
    const dead = {
      ...config,
      networks: { "eip155:31337": { rpcUrl: "http://127.0.0.1:1/v2/SECRET-API-KEY" } },
    };
    const message = await failure(createFacilitatorFromConfig(dead));
    expect(message).toMatch(
      /^networks\.eip155:31337\.rpcUrl: cannot reach http:\/\/127\.0\.0\.1:1\/… \(eth_chainId failed/,
    );
    expect(message).not.toContain("SECRET");
  });

  it("builds from a config file plus the environment", async () => {
    const dir = await mkdtemp(join(tmpdir(), "x402-facilitator-"));
    try {
      const file = join(dir, "facilitator.json");
      await writeFile(
        file,
        JSON.stringify({ networks: { [devnet.network]: { rpcUrl: devnet.rpcUrl } }, port: 0 }),
      );
      const loaded = await loadFacilitatorConfig({
        file,
        env: { X402_FACILITATOR_PRIVATE_KEY: devnet.accounts.other.privateKey },
      });
      const facilitator = await createFacilitatorFromConfig(loaded);
      expect(facilitator.getSupported().signers).toEqual({ "eip155:*": [devnet.accounts.other.address] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("CLI", () => {
  it("runFacilitatorCli starts the service and prints URL, kinds and signer", async () => {
    const lines: string[] = [];
    const env = {
      X402_FACILITATOR_PRIVATE_KEY: devnet.accounts.facilitator.privateKey,
      [`X402_RPC_URL_${devnet.chainId}`]: devnet.rpcUrl,
      X402_FACILITATOR_API_KEY: "cli-test-key",
    };
    const running = await runFacilitatorCli(["--port", "0"], {
      env,
      print: (line) => lines.push(line),
      logger: { info: () => {}, error: () => {} },
    });
    try {
      const output = lines.join("\n");
      expect(output).toContain(`listening on ${running!.url}`);
      expect(output).toContain(`exact on ${devnet.network}`);
      expect(output).toContain(devnet.accounts.facilitator.address);
      expect(output).toContain("bearer token required");
      expect(output).not.toContain(devnet.accounts.facilitator.privateKey.slice(2));
      const authed = new HTTPFacilitatorClient({
        url: running!.url,
        createAuthHeaders: async () => ({ supported: { authorization: "Bearer cli-test-key" } }),
      });
      expect((await authed.getSupported()).kinds).toHaveLength(1);
    } finally {
      await running?.close();
    }
  });

  it.concurrent("the x402kit-facilitator process serves and exits 0 on SIGTERM", async () => {
    const root = fileURLToPath(new URL("../../..", import.meta.url));
    const child = spawn(
      process.execPath,
      ["--conditions=@x402kit/source", "--import", "tsx", "packages/facilitator/src/cli.ts", "--port", "0"],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          X402_FACILITATOR_PRIVATE_KEY: devnet.accounts.facilitator.privateKey,
          [`X402_RPC_URL_${devnet.chainId}`]: devnet.rpcUrl,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      const url = await waitForUrl(child);
      const supported = await (await fetch(`${url}/supported`)).json();
      expect(supported.signers["eip155:*"]).toEqual([devnet.accounts.facilitator.address]);
      child.kill("SIGTERM");
      const code = await new Promise((resolve) => child.once("exit", resolve));
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it.concurrent("the process exits 2 with a clear message on a bad config", async () => {
    const root = fileURLToPath(new URL("../../..", import.meta.url));
    const child = spawn(
      process.execPath,
      ["--conditions=@x402kit/source", "--import", "tsx", "packages/facilitator/src/cli.ts"],
      {
        cwd: root,
        env: { PATH: process.env.PATH, X402_FACILITATOR_PRIVATE_KEY: "0x1234" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/x402kit-facilitator: networks: at least one network is required/);
  });
});

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    let errors = "";
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      const match = /listening on (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.stderr!.on("data", (chunk) => (errors += chunk));
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${errors}`)));
  });
}
