/** The reference implementations of the workshop's exercises. */
export * from './channel-monitor.js';
export * from './chain-monitor.js';
