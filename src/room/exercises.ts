/**
 * The one place the room takes its exercise list from. The registry is moving (to `src/curriculum/`);
 * when it does, this import is the only line of `src/room/` to change.
 */
export { EXERCISES, type Exercise } from '../curriculum/registry.js';
