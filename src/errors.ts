/**
 * The workshop's error family. Every error a learner can meet says what went wrong and what to do next:
 * `context: expected X, got Y` and then the fix. Callers branch on the class (or on `code`), never on the
 * message text.
 */
export class WorkshopError extends Error {
  /** A stable, machine-readable name for the failure (e.g. `NODE_UNREACHABLE`). */
  readonly code: string;
  /** What the reader should do about it, in one sentence. Also appended to `message`. */
  readonly fix: string | undefined;

  constructor(code: string, message: string, fix?: string, options?: { cause?: unknown }) {
    super(fix ? `${message}\n→ ${fix}` : message, options);
    this.name = new.target.name;
    this.code = code;
    this.fix = fix;
  }
}

/**
 * Thrown by a workshop exercise that has not been written yet: by a skeleton cell, and by the node's own
 * hole for that exercise (which says which method it is, in `holeName`).
 */
export class NotImplementedError extends WorkshopError {
  /** The exercise id, when thrown by the node's hole (not by a learner's skeleton). */
  readonly hole: string | undefined;
  /** `ChannelMonitor.prototype.blockConnected`: the method that is a hole. */
  readonly holeName: string | undefined;

  constructor(exerciseId: string, holeName?: string) {
    super(
      'NOT_IMPLEMENTED',
      holeName ? `${exerciseId}: ${holeName} is an exercise, and nothing fills it yet` : `${exerciseId}: not implemented yet`,
      `write the body of this exercise (look for "TODO(${exerciseId})"), then run its check cell`,
    );
    this.hole = holeName ? exerciseId : undefined;
    this.holeName = holeName;
  }
}
