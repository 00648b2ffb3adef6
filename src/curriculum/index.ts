/**
 * The curriculum: the exercise registry, the checks and the harness that runs them, the notebook
 * builder, and the reference loader (the only way anything reaches `solutions/`).
 */
export * from './exercise.js';
export * from './registry.js';
export * from './references.js';
export * from './cells.js';
export * from './prelude.js';
export * from './solution-source.js';
export * from './notebook-format.js';
export * from './notebook-builder.js';
export * from './check/expect.js';
export * from './check/runner.js';
export * from './check/types.js';
