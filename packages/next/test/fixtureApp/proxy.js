import { runProxy } from "./lib/registry.js";

export function proxy(request) {
  return runProxy(request);
}
