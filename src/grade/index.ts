/** `lnlab grade` and `lnlab reset`: grading learners' notebooks in isolated processes, and the reports. */
export * from './grade.js';
export * from './history.js';
export * from './pool.js';
export * from './scoreboard.js';
export * from './selection.js';
export * from './submission.js';
export * from './reset.js';
export * from './class-report.js';
export { classHtml, commonFailures } from './class-html.js';
export { DEFAULT_EXERCISE_LIMIT_MS, GradeWorker, killAllWorkers, type WorkerVerdict } from './worker.js';
export { GRADE_USAGE, gradeCommand, resetCommand } from './command.js';
