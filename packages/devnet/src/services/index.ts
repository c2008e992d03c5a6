/**
 * `@x402kit/devnet/services`: throw-away Redis and PostgreSQL servers for tests, started on a
 * free loopback port and stopped (files removed) on `stop()` or when the process exits.
 *
 * @packageDocumentation
 */
export { type PostgresOptions, startPostgres } from "./postgres.js";
export { type RedisOptions, startRedis } from "./redis.js";
export type { ServiceInstance } from "./spawnService.js";
