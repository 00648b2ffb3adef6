export * from './channel-pair.js';
