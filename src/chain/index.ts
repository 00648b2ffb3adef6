export * from './interfaces.js';
export * from './config.js';
export * from './errors.js';
export * from './bitcoind-client.js';
export * from './regtest/faucet.js';
export * from './regtest/launcher.js';
