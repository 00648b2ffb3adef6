/** What an exercise check is made of, and what running it reports. */

/** One test of an exercise: given the learner's implementation, it resolves or throws a `CheckFailure`. */
export interface ExerciseTest<Impl> {
  readonly name: string;
  run(impl: Impl): Promise<void>;
}

/** The outcome of one test. */
export interface TestOutcome {
  readonly name: string;
  readonly passed: boolean;
  /** Why it failed, in one line. */
  readonly message?: string;
  /** What the failed expectation looked at. */
  readonly what?: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly hint?: string;
}

/** The outcome of checking one exercise: it passed only if every test ran and passed. */
export interface CheckReport {
  readonly id: string;
  readonly passed: boolean;
  readonly tests: readonly TestOutcome[];
  readonly durationMs: number;
}
