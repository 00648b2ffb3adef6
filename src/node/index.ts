/**
 * The Lightning node the workshop is about, complete but for its ⚡️ exercise methods: `ChannelMonitor`,
 * `ChainMonitor`, `ChannelManager` and the manager's peer and payment handlers. `assembleNode` fills the
 * holes.
 */
export * from './channel-monitor.js';
export * from './chain-monitor.js';
export * from './channel-manager.js';
export * from './node-context.js';
export * from './payment-handler.js';
export * from './peer-handler.js';
export * from './assemble.js';
