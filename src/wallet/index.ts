/** The on-chain wallet: P2WPKH keys from the KeysManager, coins from connected blocks, coin selection. */
export * from './errors.js';
export * from './key-chain.js';
export * from './coin-selection.js';
export * from './wallet.js';
