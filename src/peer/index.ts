/** BOLT 2 peer messages as typed objects, their validation on receipt, and the in-process link. */
export * from './errors.js';
export * from './messages.js';
export * from './fields.js';
export * from './validate.js';
export * from './network.js';
