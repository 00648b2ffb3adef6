/**
 * Persistence: the durable key-value store (`KVStore`, `FileStore`), the framed, checksummed record format,
 * and the `MonitorPersister` seam a ChainMonitor persists ChannelMonitors through.
 */
export * from './errors.js';
export * from './names.js';
export * from './kv-store.js';
export * from './fs-seam.js';
export * from './file-store.js';
export * from './record.js';
export * from './json-record.js';
export * from './monitor-persister.js';
export * from './persist.js';
