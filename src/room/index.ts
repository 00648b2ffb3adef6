/**
 * The live view of the room: `lnlab class serve` (the instructor's server and page) and the learner's
 * side (`reportVerdicts`, `flushReports`, joining and leaving a class).
 */
export * from './errors.js';
export * from './protocol.js';
export * from './reporter.js';
export * from './from-grade.js';
export * from './membership.js';
export * from './server.js';
export * from './room-state.js';
export { outboxFile, waitingCount, readOutboxState, type OutboxState, type RejectedReport } from './outbox.js';
