import { describe, expect, it } from "vitest";

/**
 * Drop-in, name by name, for the client wrappers: every name the official wrapper exports is
 * exported by ours (checked against the installed official packages in the same run). The
 * official `@x402/axios` is 2.11, the newest this registry serves.
 */
const WRAPPERS: ReadonlyArray<[official: string, ours: string]> = [
  ["@x402/axios", "@x402kit/axios"],
  ["@x402/fetch", "@x402kit/fetch"],
];

describe("client wrappers export every official name", () => {
  it.each(WRAPPERS)("%s → %s", async (official, ours) => {
    const theirs = Object.keys(await import(/* @vite-ignore */ official));
    const mine = new Set(Object.keys(await import(/* @vite-ignore */ ours)));
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.filter((name) => !mine.has(name))).toEqual([]);
  });
});
