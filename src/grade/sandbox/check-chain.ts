/**
 * The regtest node chain checks run on, started by the grading parent (a sandboxed child may not start
 * processes): one throwaway in-memory node per parent process, started on first use and stopped when the
 * process exits. Every job gets fresh keys and funds of its own on it.
 */
import type { RpcConfig } from '../../chain/config.js';
import { startThrowawayNode, type RunningNode } from '../../chain/regtest/launcher.js';

let running: Promise<RunningNode & { stop(): Promise<void> }> | undefined;

/** The shared node's RPC settings (starting it the first time, about a second). */
export async function sharedCheckChain(): Promise<RpcConfig> {
  running ??= startThrowawayNode().then((node) => {
    process.once('exit', () => void node.stop());
    return node;
  }).catch((err: unknown) => {
    running = undefined;
    throw err;
  });
  return (await running).config;
}

/** Stops the shared node now (a grader that is done; tests). */
export async function stopSharedCheckChain(): Promise<void> {
  const node = await running?.catch(() => undefined);
  running = undefined;
  await node?.stop();
}
