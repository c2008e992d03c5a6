import type { ChildProcess } from "node:child_process";

/**
 * Last-resort cleanup: child processes registered here are killed when this process exits or
 * receives SIGINT/SIGTERM, so a crashed or interrupted test run leaves no anvil behind.
 * Listeners are only installed while at least one child is registered.
 */
const children = new Set<ChildProcess>();
const SIGNALS = ["SIGINT", "SIGTERM"] as const;

function killAll(): void {
  for (const child of children) child.kill("SIGTERM");
  children.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  // A listener replaces Node's default "terminate on signal". If ours is the only one, remove it
  // and re-raise, so the process still dies with the conventional status (128 + signal number).
  // If the application has its own listener, that listener decides what happens next.
  const onlyUs = process.listenerCount(signal) === 1;
  uninstall();
  if (onlyUs) process.kill(process.pid, signal);
}

function install(): void {
  process.on("exit", killAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  process.off("exit", killAll);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/** Registers a child to be killed if this process goes away first. */
export function trackChild(child: ChildProcess): void {
  if (children.size === 0) install();
  children.add(child);
}

/** Forgets a child that has exited or been stopped. */
export function untrackChild(child: ChildProcess): void {
  if (!children.delete(child)) return;
  if (children.size === 0) uninstall();
}
