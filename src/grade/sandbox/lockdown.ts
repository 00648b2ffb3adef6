/**
 * What makes a grading process trustworthy while it runs a learner's code (the child is also started with
 * Node's `--frozen-intrinsics`, `--disallow-code-generation-from-strings` and the permission model; see
 * `spawn.ts`). Before the learner's cell is compiled:
 * - the bindings of every standard global (`Object`, `JSON`, `Promise`, `setTimeout`, `Buffer`…) are made
 *   read-only, so `globalThis.JSON = …` cannot swap what the checks call;
 * - `Buffer` and the Node modules the checks use are frozen (`--frozen-intrinsics` freezes only the
 *   language's own objects);
 * - the workshop's namespaces and every class in them are frozen, so `ChainMonitor.prototype.afterBlock =
 *   …` cannot change the node the checks run.
 * The checks themselves are frozen by the registry, and the verdict is re-derived by the parent.
 */
import * as fs from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import * as crypto from 'node:crypto';

/** Global names whose bindings are locked. Everything a check, the harness or the node touches by name. */
const LOCKED_GLOBALS = [
  'Object', 'Function', 'Array', 'Number', 'String', 'Boolean', 'Symbol', 'BigInt', 'Math', 'JSON', 'Reflect', 'Proxy',
  'Promise', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'Date', 'RegExp', 'Error', 'TypeError', 'RangeError',
  'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError', 'ArrayBuffer', 'SharedArrayBuffer',
  'DataView', 'Uint8Array', 'Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array',
  'Float64Array', 'BigInt64Array', 'BigUint64Array', 'Uint8ClampedArray', 'Atomics', 'Intl', 'globalThis',
  'isNaN', 'isFinite', 'parseInt', 'parseFloat', 'encodeURIComponent', 'decodeURIComponent',
  'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'queueMicrotask',
  'structuredClone', 'performance', 'process', 'Buffer', 'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder',
  'AbortController', 'AbortSignal', 'Event', 'EventTarget', 'console', 'crypto', 'fetch',
] as const;

/** Freezes `value` and, for a function (a class), its `prototype` too; returns it. */
function freezeClassOrObject(value: unknown): void {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null || Object.isFrozen(value)) return;
  // A typed array with elements cannot be frozen; checks keep their own copies of the bytes they compare.
  if (ArrayBuffer.isView(value)) return;
  Object.freeze(value);
  if (typeof value === 'function' && value.prototype && typeof value.prototype === 'object') freezeClassOrObject(value.prototype);
}

/** Freezes every export of a module namespace (and the classes among them, with their prototypes). */
export function freezeNamespace(namespace: Record<string, unknown>): void {
  for (const key of Object.keys(namespace)) {
    const value = namespace[key];
    freezeClassOrObject(value);
    // Plain objects one level down (e.g. a frozen enum's values, a config object's parts).
    if (value && typeof value === 'object') for (const inner of Object.values(value)) freezeClassOrObject(inner);
  }
}

/** Makes the standard globals' bindings read-only and freezes what the language flag leaves open. */
export function lockGlobals(): void {
  for (const name of LOCKED_GLOBALS) {
    // Some of Node's globals (TextDecoder, performance, crypto…) are lazy: the first read replaces a getter
    // with the value. Read each now, or that first read would later try to redefine a locked property.
    void (globalThis as Record<string, unknown>)[name];
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
    if (!descriptor) continue;
    if ('value' in descriptor) Object.defineProperty(globalThis, name, { value: descriptor.value, writable: false, configurable: false });
    else Object.defineProperty(globalThis, name, { get: descriptor.get, set: undefined, configurable: false });
  }
  freezeClassOrObject(Buffer);
  for (const module of [fs, fsPromises, os, path, util, crypto]) {
    const object = (module as { default?: object }).default ?? module;
    Object.freeze(object);
  }
  Object.freeze(fs.promises);
}
