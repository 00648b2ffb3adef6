export * from './updates.js';
export * from './outpoints.js';
export * from './errors.js';
export * from './watch-index.js';
export * from './claims.js';
export * from './channel-monitor-state.js';
export * from './serialize.js';
