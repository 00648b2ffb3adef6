/**
 * The assertions exercise checks are written with. A failed one says what was expected, what happened,
 * and the hint for that mistake — the three things a learner needs to fix it.
 */
import { inspect } from 'node:util';

/** One failed expectation inside an exercise check. */
export class CheckFailure extends Error {
  /** What was looked at, e.g. "monitors on disk after watchChannel". */
  readonly what: string;
  readonly expected: string;
  readonly actual: string;
  readonly hint: string;
  constructor(what: string, expected: string, actual: string, hint: string) {
    super(`${what}: expected ${expected}, got ${actual}`);
    this.name = 'CheckFailure';
    this.what = what;
    this.expected = expected;
    this.actual = actual;
    this.hint = hint;
  }
}

/** A short, readable rendering of any value for "expected … got …". */
export function show(value: unknown): string {
  if (value instanceof Uint8Array) return `0x${Buffer.from(value).toString('hex')}`;
  if (typeof value === 'string') return JSON.stringify(value);
  // Rendered by hand: in a grading child (frozen intrinsics) `inspect` labels every array `Object(n)`.
  if (Array.isArray(value)) {
    const shown = value.slice(0, 6).map((item) => show(item));
    return `[${[...shown, ...(value.length > 6 ? [`… ${value.length - 6} more`] : [])].join(', ')}]`;
  }
  return inspect(value, { depth: 2, breakLength: 100, maxArrayLength: 6, maxStringLength: 80 });
}

/** Fails unless `condition`; `expected`/`actual` describe the two sides in words. */
export function expectThat(condition: boolean, what: string, expected: string, actual: string, hint: string): void {
  if (!condition) throw new CheckFailure(what, expected, actual, hint);
}

/** Fails unless `actual` equals `expected` (===, or byte-equal for Uint8Array). */
export function expectEqual<T>(actual: T, expected: T, what: string, hint: string): void {
  const equal =
    actual instanceof Uint8Array && expected instanceof Uint8Array
      ? Buffer.from(actual).equals(Buffer.from(expected))
      : Object.is(actual, expected);
  if (!equal) throw new CheckFailure(what, show(expected), show(actual), hint);
}

/**
 * Whether `err` is an instance of `errorClass` — or of its twin from a second copy of the same module.
 * In the notebook kernel there are two: tslab compiles cells to CommonJS, so the cell's
 * `import … from 'lightning-lab'` loads the workshop through `require`, while the checks are loaded
 * with `import()` and get the ES module copy. An error thrown with the cell's class must still count.
 * Workshop errors set `name` to their class name, which is what the twins share.
 */
export function isErrorOf(err: unknown, errorClass: abstract new (...args: never[]) => Error): boolean {
  return err instanceof errorClass || (err instanceof Error && err.name === errorClass.name && errorClass.name !== 'Error');
}

/**
 * Runs `action` and fails unless it throws an instance of `errorClass` (see `isErrorOf`). Returns the error. A different
 * error (a TypeError from reading a missing map entry, say) is reported as the crash it is.
 */
export async function expectThrows<E extends Error>(
  action: () => unknown,
  errorClass: abstract new (...args: never[]) => E,
  what: string,
  hint: string,
): Promise<E> {
  try {
    await action();
  } catch (err) {
    if (isErrorOf(err, errorClass)) return err as E;
    const got = err instanceof Error ? `${err.name}: ${err.message.split('\n')[0]}` : show(err);
    throw new CheckFailure(what, `a ${errorClass.name}`, got, hint);
  }
  throw new CheckFailure(what, `a ${errorClass.name}`, 'no error at all', hint);
}
