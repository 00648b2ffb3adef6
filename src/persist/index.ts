/**
 * Persistence: the durable key-value store (`KVStore`, `FileStore`), the framed, checksummed record format,
 * and the `Persist` seam a ChainMonitor makes ChannelMonitors durable through: `KVStorePersister` (the whole
 * monitor every time) and `MonitorUpdatingPersister` (an update log plus snapshots). `MonitorPersister` is
 * the older seam, kept until every caller uses `Persist`.
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
export * from './update-codec.js';
export * from './update-log.js';
export * from './monitor-snapshot.js';
export * from './kv-store-persister.js';
export * from './monitor-updating-persister.js';
export { atomicWriteFile, isAtomicWriteTempName, type AtomicWriteOptions } from '../util/atomic-write.js';
