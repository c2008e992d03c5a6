import { compileRoutes, findRoute, normalizePath } from "@x402kit/core/server";
import { describe, expect, it } from "vitest";

const accepts = { scheme: "exact", network: "eip155:1", payTo: "0x1", price: "$0.01" } as const;

describe("routes", () => {
  const routes = compileRoutes({
    "GET /weather": { accepts },
    "POST /reports/:id": { accepts },
    "/files/[name]": { accepts },
    "/api/*": { accepts },
    "GET /docs/[...slug]": { accepts },
    "GET /opt/[[...slug]]": { accepts },
  });
  const hit = (method: string, path: string) => findRoute(routes, method, normalizePath(path))?.key;

  it.each([
    ["GET", "/weather", "GET /weather"],
    ["HEAD", "/weather", "GET /weather"],
    ["get", "/WEATHER/", "GET /weather"],
    ["GET", "//weather?x=1#top", "GET /weather"],
    ["GET", "/%77eather", "GET /weather"],
    ["GET", "http://127.0.0.1:4021/weather", "GET /weather"],
    ["GET", "HTTPS://Example.com:443//Weather/?q=1", "GET /weather"],
    ["GET", "http://host/api/x", "/api/*"],
    ["OPTIONS", "/api/x", "/api/*"],
    ["POST", "/reports/42", "POST /reports/:id"],
    ["DELETE", "/files/a.txt", "/files/[name]"],
    ["GET", "/api", "/api/*"],
    ["GET", "/api/a/b", "/api/*"],
    ["GET", "/docs/a", "GET /docs/[...slug]"],
    ["GET", "/docs/a/b/c", "GET /docs/[...slug]"],
    ["GET", "/opt", "GET /opt/[[...slug]]"],
    ["GET", "/opt/x/y", "GET /opt/[[...slug]]"],
  ])("%s %s → %s", (method, path, key) => {
    expect(hit(method, path)).toBe(key);
  });

  it.each([
    ["POST", "/weather"],
    ["POST", "/reports/42/extra"],
    ["GET", "/weather2"],
    ["GET", "/files/a%2Fb/c"],
    ["GET", "http://weather"],
    ["GET", "/docs"],
    ["GET", "/optional"],
  ])("%s %s is not priced", (method, path) => {
    expect(hit(method, path)).toBeUndefined();
  });

  it("keeps encoded separators from forging segments", () => {
    expect(normalizePath("/files/a%2Fb")).toBe("/files/a%2Fb");
    expect(normalizePath("/a%5C..%5Cb")).toBe("/a%5C..%5Cb");
  });

  it("treats a single config as every path and rejects malformed keys", () => {
    expect(findRoute(compileRoutes({ accepts }), "PUT", "/anything")).toBeDefined();
    expect(() => compileRoutes({ "FETCH /x": { accepts } })).toThrow(/METHOD/);
    expect(() => compileRoutes({ "/x": { accepts: [] } })).toThrow(/no payment option/);
  });
});
