import { MemoryStore } from "@x402kit/core/storage";
import { describeKeyValueStore } from "./conformance.js";

describeKeyValueStore("MemoryStore", () => new MemoryStore());
