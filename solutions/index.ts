/** The reference implementations of the workshop's exercises. */
export * from './channel-monitor.js';
export * from './chain-monitor.js';
export * from './channel-manager.js';
export * from './payment-handler.js';
export * from './peer-handler.js';
