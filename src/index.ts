/**
 * lightning-lab: the shared module every notebook, solution and test imports.
 * Each domain folder has its own barrel; this file is the public surface.
 */
export * from './errors.js';
export * from './chain/index.js';
export * from './persist/index.js';
export * from './ln/index.js';
export * from './monitor/index.js';
export * from './workshop/index.js';
export * from './wallet/index.js';
export * from './peer/index.js';
export * from './channel/index.js';
export * from './gossip/index.js';
export * from './payments/index.js';
