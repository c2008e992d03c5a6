// The closed-loop driver of the facilitator verify benches: `concurrency` workers take items of
// a pool in turn until a deadline, each waiting for its answer before the next.

/** What one closed-loop run did. */
export interface LoopResult {
  /** Completed operations. */
  verifies: number;
  /** Wall time of the run. */
  elapsedMs: number;
}

/** A run with the CPU it cost and the calls it made (RPC / node requests), wherever they were counted. */
export interface RunResult extends LoopResult {
  cpuMicros: number;
  calls: number;
}

/** A verify answer as both SDKs spell it. */
export interface VerifyAnswer {
  isValid: boolean;
  invalidReason?: string | null;
  invalidMessage?: string | null;
}

/**
 * `concurrency` workers running `step` on items of `pool` in turn for `seconds`. A step that
 * throws aborts the run.
 *
 * @example
 * ```ts
 * const { verifies, elapsedMs } = await closedLoop(pool, 8, 3, mustBeValid((p) => scheme.verify(p, requirements)));
 * ```
 */
export async function closedLoop<T>(
  pool: readonly T[],
  concurrency: number,
  seconds: number,
  step: (item: T) => Promise<void>,
): Promise<LoopResult> {
  let next = 0;
  let verifies = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await step(pool[next++ % pool.length] as T);
        verifies++;
      }
    }),
  );
  return { verifies, elapsedMs: performance.now() - start };
}

/**
 * {@link closedLoop} in this process, with this process's CPU (`process.cpuUsage()`) and the
 * growth of `calls()` (a call counter, when there is one) over the run.
 *
 * @example
 * ```ts
 * const run = await measureInProcess(pool, 8, 3, mustBeValid(verify), () => counter.total);
 * ```
 */
export async function measureInProcess<T>(
  pool: readonly T[],
  concurrency: number,
  seconds: number,
  step: (item: T) => Promise<void>,
  calls: () => number = () => 0,
): Promise<RunResult> {
  const callsBefore = calls();
  const cpu = process.cpuUsage();
  const loop = await closedLoop(pool, concurrency, seconds, step);
  const used = process.cpuUsage(cpu);
  return { ...loop, cpuMicros: used.user + used.system, calls: calls() - callsBefore };
}

/**
 * A loop step from a verify function: throws unless the answer is valid (a bench payment must
 * verify, or the figures measure a refusal).
 *
 * @example
 * ```ts
 * const step = mustBeValid((payload) => scheme.verify(payload, requirements));
 * ```
 */
export function mustBeValid<T>(
  verify: (item: T) => Promise<VerifyAnswer | boolean>,
): (item: T) => Promise<void> {
  return async (item) => {
    const answer = await verify(item);
    if (answer === true || (typeof answer === "object" && answer.isValid)) return;
    const reason =
      typeof answer === "object" ? `${answer.invalidReason} ${answer.invalidMessage ?? ""}` : "false";
    throw new Error(`verify refused a bench payment: ${reason.trim()}`);
  };
}
