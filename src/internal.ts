/**
 * `lightning-lab/internal`: everything the module has, for the project's own tests, tools and advanced
 * notebooks. Learners use `lightning-lab` (`./index.ts`), the curated surface.
 */
export * from './errors.js';
export * from './chain/index.js';
export * from './persist/index.js';
export * from './ln/index.js';
export * from './monitor/index.js';
export * from './node/index.js';
export * from './curriculum/index.js';
export * from './workshop/index.js';
export * from './wallet/index.js';
export * from './peer/index.js';
export * from './channel/index.js';
export * from './gossip/index.js';
export * from './payments/index.js';
