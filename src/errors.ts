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

/** Thrown by a workshop exercise that has not been written yet. */
export class NotImplementedError extends WorkshopError {
  constructor(exerciseId: string) {
    super(
      'NOT_IMPLEMENTED',
      `${exerciseId}: not implemented yet`,
      `write the body of this exercise (look for "TODO(${exerciseId})"), then run its check cell`,
    );
  }
}
