/** BOLT 7 gossip: typed, really signed `channel_announcement` / `channel_update`, the network graph, routing. */
export * from './errors.js';
export * from './messages.js';
export * from './signing.js';
export * from './utxo.js';
export * from './graph.js';
export * from './router.js';
export * from './gossiper.js';
