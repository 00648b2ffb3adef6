/**
 * What a grading parent (`lnlab grade`, or a notebook kernel's `check`) and its sandboxed child say to each
 * other. The parent writes JSON lines to the child's stdin: a `SandboxHello`, then one `SandboxJob`. The
 * child answers on file descriptor 3 with lines `<nonce> <SandboxEvent as JSON>`; the nonce is random per
 * child and only ever sent over stdin, so nothing the learner's code prints (stdout, stderr) can pass for
 * an event. The child reports each check's outcome; the parent alone decides the verdict.
 */
import type { TestOutcome } from '../../curriculum/check/types.js';
import type { RpcConfig } from '../../chain/config.js';

/** The path the learner's cell is compiled under; stack frames there are the learner's. */
export const CELL_PATH_MARKER = '/.lnlab/cells/';

/** The file descriptor of the event channel in the child. */
export const EVENT_FD = 3;

/** The first line the parent sends. */
export interface SandboxHello {
  readonly nonce: string;
  /** Time limit of one check inside the child (an awaited promise that never settles). */
  readonly testTimeoutMs: number;
}

/** The exercise to grade: the learner's cell, already turned into JavaScript by the parent. */
export interface SandboxJob {
  readonly id: string;
  /** The notebook's setup cell and the learner's cell, transpiled to CommonJS (see `transpile.ts`). */
  readonly code: string;
  /** Its source map (JSON), to report locations in the learner's TypeScript. */
  readonly sourceMap: string;
  /** The regtest node the checks may use (chain exercises only). */
  readonly chain?: RpcConfig;
  /** Seeds the checks' random choices (which fault, which keys): a fresh one each run. */
  readonly seed: string;
}

/** What the child reports, in order: `ready` once; then `start`, per check `test` and `result`, then `done`. */
export type SandboxEvent =
  | { readonly type: 'ready' }
  | { readonly type: 'start'; readonly id: string }
  | { readonly type: 'compile-failed'; readonly id: string; readonly message: string }
  | { readonly type: 'test'; readonly id: string; readonly index: number; readonly name: string }
  | { readonly type: 'result'; readonly id: string; readonly index: number; readonly outcome: TestOutcome }
  | { readonly type: 'done'; readonly id: string };

/** Splits an event-channel line into its event, or `undefined` for a line without the nonce. */
export function parseEventLine(line: string, nonce: string): SandboxEvent | undefined {
  if (!line.startsWith(`${nonce} `)) return undefined;
  try {
    return JSON.parse(line.slice(nonce.length + 1)) as SandboxEvent;
  } catch {
    return undefined;
  }
}
