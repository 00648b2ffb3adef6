/**
 * Work a learner's function leaves behind. A check judges the state after the function returned; a
 * function that schedules more work for later (a timer that changes state after the check looked, an
 * interval left running) could look right to the check and be wrong. So in a grading child every timer,
 * immediate and microtask *scheduled directly by the learner's cell* is tracked: one still pending when a
 * check ends, or one that runs after the learner's call has returned, fails that check.
 *
 * Only schedules made by the cell itself count (the caller of `setTimeout` is a frame of the cell): a
 * timer started inside the node or a library the cell called is theirs, not the learner's.
 */

import { CELL_PATH_MARKER } from './protocol.js';

export { CELL_PATH_MARKER };

type AnyFunction = (...args: unknown[]) => unknown;

const original = {
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  setInterval: globalThis.setInterval,
  clearInterval: globalThis.clearInterval,
  setImmediate: globalThis.setImmediate,
  clearImmediate: globalThis.clearImmediate,
  queueMicrotask: globalThis.queueMicrotask,
  nextTick: process.nextTick,
  captureStackTrace: Error.captureStackTrace,
};

/** Learner calls that have not returned yet (an async one: not settled yet). */
let activeCalls = 0;
/** Timers the cell scheduled that have neither run nor been cleared, by handle → where they were made. */
const pending = new Map<unknown, string>();
/** What ran after the learner's call returned, in order. */
const lateWork: string[] = [];

/** `your cell, line N`-style location of the caller of the function that called this, if it is the cell. */
function learnerCaller(): string | undefined {
  const holder: { stack?: string } = {};
  original.captureStackTrace(holder);
  // Frame 0: learnerCaller, 1: the wrapper, 2: whoever called setTimeout & co.
  const caller = (holder.stack ?? '').split('\n')[3] ?? '';
  const at = caller.indexOf(CELL_PATH_MARKER);
  return at < 0 ? undefined : caller.slice(at).replace(/\)$/, '');
}

function late(kind: string, where: string): void {
  if (activeCalls === 0) lateWork.push(`a ${kind} scheduled at ${where} ran after your function had returned`);
}

function wrapCallback(kind: string, where: string, callback: AnyFunction, handle: () => unknown, repeats = false): AnyFunction {
  return function (this: unknown, ...args: unknown[]) {
    if (!repeats) pending.delete(handle());
    late(kind, where);
    return callback.apply(this, args);
  };
}

/** Installs the tracking wrappers on the global timer functions (before the globals are locked). */
export function installTimerWatch(): void {
  const g = globalThis as unknown as Record<string, AnyFunction>;
  for (const [name, clear, repeats] of [['setTimeout', 'clearTimeout', false], ['setInterval', 'clearInterval', true], ['setImmediate', 'clearImmediate', false]] as const) {
    const schedule = original[name] as unknown as AnyFunction;
    const cancel = original[clear] as unknown as AnyFunction;
    g[name] = function (this: unknown, callback: unknown, ...rest: unknown[]) {
      const where = typeof callback === 'function' ? learnerCaller() : undefined;
      if (where === undefined) return schedule.call(globalThis, callback, ...rest);
      let handle: unknown;
      handle = schedule.call(globalThis, wrapCallback(name, where, callback as AnyFunction, () => handle, repeats), ...rest);
      pending.set(handle, `${name} at ${where}`);
      return handle;
    };
    g[clear] = function (this: unknown, handle: unknown) {
      pending.delete(handle);
      return cancel.call(globalThis, handle);
    };
  }
  g.queueMicrotask = function (callback: unknown) {
    const where = typeof callback === 'function' ? learnerCaller() : undefined;
    if (where === undefined) return original.queueMicrotask.call(globalThis, callback as () => void);
    return original.queueMicrotask.call(globalThis, () => {
      late('queueMicrotask', where);
      (callback as AnyFunction)();
    });
  };
  process.nextTick = function (callback: AnyFunction, ...args: unknown[]) {
    const where = learnerCaller();
    if (where === undefined) return original.nextTick.call(process, callback, ...args);
    return original.nextTick.call(process, () => {
      late('process.nextTick', where);
      callback(...args);
    });
  } as typeof process.nextTick;
}

/**
 * `impl` with its calls counted: while one runs (an async one until it settles), what the cell scheduled may
 * run; once none runs, whatever the cell scheduled and runs is late.
 */
export function trackedLearnerFunction(impl: AnyFunction): AnyFunction {
  return function (this: unknown, ...args: unknown[]) {
    activeCalls++;
    let result: unknown;
    try {
      result = impl.apply(this, args);
    } catch (err) {
      activeCalls--;
      throw err;
    }
    if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
      return Promise.resolve(result).finally(() => {
        activeCalls--;
      });
    }
    activeCalls--;
    return result;
  };
}

/**
 * What the cell left behind since the last call: late work that ran, and timers still pending (which are
 * cancelled, so they cannot touch the next check). Empty when the learner's code finished its work.
 */
export function takeLeftovers(): string[] {
  const found = [...lateWork, ...[...pending.values()].map((what) => `a ${what} was still pending when the check ended`)];
  lateWork.length = 0;
  for (const handle of pending.keys()) {
    original.clearTimeout.call(globalThis, handle as NodeJS.Timeout);
    original.clearInterval.call(globalThis, handle as NodeJS.Timeout);
    original.clearImmediate.call(globalThis, handle as NodeJS.Immediate);
  }
  pending.clear();
  return found;
}

/** The original timer functions, for the harness's own use (never the wrapped ones). */
export const harnessTimers = Object.freeze({
  setTimeout: original.setTimeout,
  clearTimeout: original.clearTimeout,
  setImmediate: original.setImmediate,
});
