/**
 * `@x402kit/storage/redis`: {@link RedisStore}, a KeyValueStore in Redis (ioredis 5 or 6,
 * install it yourself: `npm i ioredis`).
 *
 * @packageDocumentation
 */
export { RedisStore, type RedisStoreOptions } from "./redisStore.js";
