/** Readable console output for the demo: numbered steps and indented facts. */
export interface DemoLog {
  step(title: string): void;
  fact(label: string, value: unknown): void;
  note(text: string): void;
}

/** Prints to stdout. */
export function consoleLog(): DemoLog {
  let n = 0;
  return {
    step: (title) => console.log(`\n${++n}. ${title}`),
    fact: (label, value) => console.log(`   ${`${label}:`.padEnd(16)} ${format(value)}`),
    note: (text) => console.log(`   ${text}`),
  };
}

/** Prints nothing (tests). */
export const silentLog: DemoLog = { step() {}, fact() {}, note() {} };

function format(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2).replaceAll(
    "\n",
    "\n   ",
  );
}
