/** What a grading job is, and the name under which a cell that does not compile is reported. */

/** The name under which a cell that does not compile, or crashes on load, is reported. */
export const COMPILE_TEST_NAME = 'the cell compiles and runs';

/** One exercise to grade: the registry id and the text of the learner's exercise cell. */
export interface GradeJob {
  readonly id: string;
  readonly source: string;
}
