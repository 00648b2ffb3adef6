/**
 * What the grader and its child process say to each other. The parent writes one JSON line per message
 * to the child's stdin (first a `ChildHello`, then one `GradeJob` per exercise); the child answers with
 * lines `<nonce> <ChildEvent as JSON>` on stdout. The nonce is random per child and only sent over stdin,
 * so whatever the learner's code prints can never be mistaken for a verdict.
 */
import type { CheckReport } from '../curriculum/check/types.js';

/** The name under which a cell that does not compile, or crashes on import, is reported. */
export const COMPILE_TEST_NAME = 'the cell compiles and runs';

/** The first line the parent sends. */
export interface ChildHello {
  readonly nonce: string;
  /** Time limit of one test inside the child (an awaited promise that never settles). */
  readonly testTimeoutMs: number;
}

/** One exercise to grade: the registry id and the text of the learner's exercise cell. */
export interface GradeJob {
  readonly id: string;
  readonly source: string;
}

/** What the child reports, in order: `ready` once; per job `start`, `test`…, `report`, maybe `types`, `done`. */
export type ChildEvent =
  | { readonly type: 'ready' }
  | { readonly type: 'start'; readonly id: string }
  | { readonly type: 'test'; readonly id: string; readonly name: string }
  | { readonly type: 'report'; readonly id: string; readonly report: CheckReport }
  | { readonly type: 'types'; readonly id: string; readonly errors: readonly string[] }
  | { readonly type: 'done'; readonly id: string };

/** Splits a stdout line into its event, or `undefined` for anything else (the learner's own output). */
export function parseChildLine(line: string, nonce: string): ChildEvent | undefined {
  if (!line.startsWith(`${nonce} `)) return undefined;
  try {
    return JSON.parse(line.slice(nonce.length + 1)) as ChildEvent;
  } catch {
    return undefined;
  }
}
