/**
 * The notebook's way to its node: `yourNode()` and `notebookOpened()`. The implementation
 * (`your-node.ts`) grades cells and compiles them, so it is loaded on first use by a path the bundler
 * does not follow: the grading child bundles the public module, and must not bundle the grader.
 */
import type { YourNode, YourNodeOptions } from './your-node.js';

export type { PartSource, YourNode, YourNodeOptions } from './your-node.js';
export { notebookOpened } from '../kernel/notebook-state.js';

/**
 * The node a notebook runs: your passing code for every exercise you have solved (found in your saved
 * notebooks, and in this notebook's cells as you ran them), the reference for the rest where this copy
 * has one, holes elsewhere. Prints whose code runs.
 */
export async function yourNode(options: YourNodeOptions = {}): Promise<YourNode> {
  const module = (await import(/* @vite-ignore */ new URL('./your-node.js', import.meta.url).href)) as typeof import('./your-node.js');
  return module.yourNode(options);
}
