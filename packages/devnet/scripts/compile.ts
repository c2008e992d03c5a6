/**
 * Compiles the Solidity sources with solcjs and writes the artifacts the package ships in
 * `src/contracts/` (plus one test fixture). Committing the output keeps solc (a 9 MB WebAssembly blob) out of the
 * runtime; `test/artifacts.test.ts` recompiles and fails if the committed files are stale.
 *
 * Run after editing a contract: `pnpm --filter @x402kit/devnet compile-contracts`.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import solc from "solc";

/** One contract as the package needs it. */
export interface CompiledContract {
  abi: readonly unknown[];
  /** Creation code (constructor + runtime), for deploying with a transaction. */
  bytecode: `0x${string}`;
  /** Runtime code, for placing with `anvil_setCode`. */
  deployedBytecode: `0x${string}`;
}

/** What gets compiled (paths relative to the package root) and where its artifact goes. */
export const CONTRACTS = [
  {
    file: "contracts/TestUSDC.sol",
    name: "TestUSDC",
    out: "src/contracts/testUsdcArtifact.ts",
    exports: { abi: "testUsdcAbi", code: "testUsdcBytecode" },
    code: "bytecode",
  },
  {
    file: "contracts/DevnetMulticall3.sol",
    name: "DevnetMulticall3",
    out: "src/contracts/multicall3Artifact.ts",
    exports: { abi: "multicall3Abi", code: "multicall3RuntimeBytecode" },
    code: "deployedBytecode",
  },
  {
    file: "contracts/DevnetPermit2.sol",
    name: "DevnetPermit2",
    out: "src/contracts/permit2Artifact.ts",
    exports: { abi: "devnetPermit2Abi", code: "devnetPermit2RuntimeBytecode" },
    code: "deployedBytecode",
  },
  {
    file: "contracts/X402Permit2Proxies.sol",
    name: "x402ExactPermit2Proxy",
    out: "src/contracts/exactPermit2ProxyArtifact.ts",
    exports: { abi: "x402ExactPermit2ProxyAbi", code: "x402ExactPermit2ProxyRuntimeBytecode" },
    code: "deployedBytecode",
  },
  {
    file: "contracts/X402Permit2Proxies.sol",
    name: "x402UptoPermit2Proxy",
    out: "src/contracts/uptoPermit2ProxyArtifact.ts",
    exports: { abi: "x402UptoPermit2ProxyAbi", code: "x402UptoPermit2ProxyRuntimeBytecode" },
    code: "deployedBytecode",
  },
  {
    file: "contracts/DevnetTokens.sol",
    name: "DevnetPermitToken",
    out: "src/contracts/permitTokenArtifact.ts",
    exports: { abi: "devnetPermitTokenAbi", code: "devnetPermitTokenBytecode" },
    code: "bytecode",
  },
  {
    file: "contracts/DevnetTokens.sol",
    name: "DevnetEip3009Token",
    out: "src/contracts/eip3009TokenArtifact.ts",
    exports: { abi: "devnetEip3009TokenAbi", code: "devnetEip3009TokenBytecode" },
    code: "bytecode",
  },
  {
    file: "contracts/DevnetSmartWallet.sol",
    name: "DevnetSmartWallet",
    out: "src/contracts/smartWalletArtifact.ts",
    exports: { abi: "smartWalletAbi", code: "smartWalletBytecode" },
    code: "bytecode",
  },
  {
    file: "contracts/DevnetSmartWallet.sol",
    name: "DevnetSmartWalletFactory",
    out: "src/contracts/smartWalletFactoryArtifact.ts",
    exports: { abi: "smartWalletFactoryAbi", code: "smartWalletFactoryRuntimeBytecode" },
    code: "deployedBytecode",
  },
  {
    // Test-only: a token that calls back into a proxy, for the reentrancy test. Not shipped.
    file: "test/fixtures/ReentrantToken.sol",
    name: "ReentrantToken",
    out: "test/fixtures/reentrantTokenArtifact.ts",
    exports: { abi: "reentrantTokenAbi", code: "reentrantTokenBytecode" },
    code: "bytecode",
  },
] as const;

const packageRoot = new URL("../", import.meta.url);

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts: Record<
    string,
    Record<
      string,
      { abi: unknown[]; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }
    >
  >;
}

/**
 * Compiles every contract in {@link CONTRACTS} with fixed settings.
 *
 * @example
 * const { TestUSDC } = compileContracts();
 * console.log(TestUSDC.bytecode.length);
 */
export function compileContracts(): Record<(typeof CONTRACTS)[number]["name"], CompiledContract> {
  const sources: Record<string, { content: string }> = {};
  for (const c of CONTRACTS) {
    sources[c.file] = { content: readFileSync(new URL(c.file, packageRoot), "utf8") };
  }
  const input = {
    language: "Solidity",
    sources,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      // Pinned so the bytecode does not change with solc's default and runs on older forks too.
      evmVersion: "cancun",
      // No metadata hash: comments and file paths then do not change the bytecode.
      metadata: { bytecodeHash: "none" },
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  // Warnings fail the build too: these contracts are small enough to stay warning-free.
  if (output.errors?.length) throw new Error(output.errors.map((e) => e.formattedMessage).join("\n"));

  const result = {} as Record<(typeof CONTRACTS)[number]["name"], CompiledContract>;
  for (const c of CONTRACTS) {
    const compiled = output.contracts[c.file]?.[c.name];
    if (!compiled) throw new Error(`solc produced no output for ${c.file}:${c.name}`);
    result[c.name] = {
      abi: compiled.abi,
      bytecode: `0x${compiled.evm.bytecode.object}`,
      deployedBytecode: `0x${compiled.evm.deployedBytecode.object}`,
    };
  }
  return result;
}

/** The solc version string, recorded in the generated files. */
export function solcVersion(): string {
  return solc.version() as string;
}

function renderArtifact(c: (typeof CONTRACTS)[number], compiled: CompiledContract): string {
  return [
    `// Generated by scripts/compile.ts from ${c.file} (solc ${solcVersion()}). Do not edit.`,
    'import type { Hex } from "viem";',
    "",
    `export const ${c.exports.abi} = ${JSON.stringify(compiled.abi)} as const;`,
    "",
    `export const ${c.exports.code}: Hex =\n  "${compiled[c.code]}";`,
    "",
  ].join("\n");
}

function main(): void {
  const compiled = compileContracts();
  const written: string[] = [];
  for (const c of CONTRACTS) {
    const path = fileURLToPath(new URL(c.out, packageRoot));
    writeFileSync(path, renderArtifact(c, compiled[c.name]));
    written.push(path);
  }
  // Format with the repo's biome so the generated files pass `biome check` unchanged.
  const biome = createRequire(import.meta.url).resolve("@biomejs/biome/bin/biome");
  execFileSync(process.execPath, [biome, "format", "--write", ...written], { stdio: "inherit" });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
