/**
 * The `require` a learner's cell gets in a grading child. The notebook's setup cell imports from
 * `lightning-lab`, `bitcoinjs-lib` and Node's built-ins; so may the cell. Nothing else is reachable —
 * not `lightning-lab/internal`, not `solutions/`, not a file on disk — and what is reachable is frozen.
 */
import * as assert from 'node:assert';
import * as buffer from 'node:buffer';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import * as bitcoinjs from 'bitcoinjs-lib';
import { WorkshopError } from '../../errors.js';
import * as publicSurface from '../../index.js';
import { freezeNamespace } from './lockdown.js';

/** What notebook 05's setup cell imports for drawing; an exercise cell has nothing to draw while graded. */
const TSLAB_STUB = Object.freeze({
  display: Object.freeze({ markdown() {}, html() {}, svg() {}, png() {}, jpeg() {}, text() {}, raw() {} }),
});

const BUILTINS: Record<string, object> = { assert, buffer, crypto, fs, 'fs/promises': fsPromises, os, path, util };

/** A module object as CommonJS code sees it: the namespace, marked as an ES module for esbuild's interop. */
function asModule(namespace: object): object {
  const copy: Record<string, unknown> = { ...namespace };
  Object.defineProperty(copy, '__esModule', { value: true });
  return Object.freeze(copy);
}

const MODULES = new Map<string, object>([
  ['lightning-lab', asModule(publicSurface)],
  ['bitcoinjs-lib', asModule(bitcoinjs)],
  ['tslab', TSLAB_STUB],
  ...Object.entries(BUILTINS).flatMap(([name, module]) => [[name, asModule(module)], [`node:${name}`, asModule(module)]] as const),
]);

/** An import the grader cannot give a cell. */
export class UnavailableImportError extends WorkshopError {
  constructor(specifier: string) {
    super(
      'IMPORT_UNAVAILABLE',
      `your cell imports "${specifier}", which an exercise cannot use: when it is checked, a cell has only what the notebook's setup cell imports (lightning-lab, bitcoinjs-lib, Node's built-ins)`,
      'write the exercise with those; everything you need is listed under "You can use" above the exercise',
    );
  }
}

/** Freezes the namespaces a cell can reach (once, before any cell runs). */
export function freezeReachableModules(): void {
  freezeNamespace(publicSurface as unknown as Record<string, unknown>);
  freezeNamespace(bitcoinjs as unknown as Record<string, unknown>);
}

export function learnerRequire(specifier: string): object {
  const module = MODULES.get(specifier);
  if (!module) throw new UnavailableImportError(specifier);
  return module;
}
