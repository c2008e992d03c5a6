import {
  BaseError,
  ContractFunctionRevertedError,
  ExecutionRevertedError,
  RawContractError,
  RpcRequestError,
  TransactionExecutionError,
} from "viem";

/** The node answered and refused the transaction (as opposed to the request failing in transit). */
export function isRejection(error: unknown): boolean {
  return (
    error instanceof BaseError &&
    error.walk(
      (e) => e instanceof RpcRequestError || e instanceof TransactionExecutionError || isRevertLike(e),
    ) !== null
  );
}

function isRevertLike(error: unknown): boolean {
  return REVERT_ERRORS.some((type) => error instanceof type);
}

const REVERT_ERRORS = [ExecutionRevertedError, RawContractError, ContractFunctionRevertedError];

export function isRevert(error: unknown): boolean {
  return (
    error instanceof BaseError && error.walk((e) => REVERT_ERRORS.some((type) => e instanceof type)) !== null
  );
}

/** viem messages span many lines of request dumps; keep the part that names the reason. */
export function revertText(error: unknown): string {
  if (!(error instanceof BaseError)) return error instanceof Error ? error.message : String(error);
  const inner = error.walk((e) => REVERT_ERRORS.some((type) => e instanceof type)) ?? error;
  const parts = [(inner as BaseError).shortMessage, (inner as BaseError).details].filter(Boolean);
  const data = (inner as { data?: unknown }).data;
  if (typeof data === "string" && data !== "0x") parts.push(`data: ${data}`);
  return [...new Set(parts)].join(" — ");
}
