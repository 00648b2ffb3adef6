/** Which local TCP ports are free: Jupyter's (8888 by default) and the regtest node's RPC port. */
import { findFreePort, isPortFree } from '../../chain/regtest/launcher.js';

export { isPortFree };

/** Jupyter's own default port; lnlab uses it when it is free so the URL looks familiar. */
export const DEFAULT_JUPYTER_PORT = 8888;
/** lnlab binds Jupyter to loopback only: the workshop is for the learner's own browser. */
export const JUPYTER_HOST = '127.0.0.1';

/**
 * The port for Jupyter: `wanted` if the learner asked for one, else 8888 when free, else any free port.
 * Resolves with `{ port, busyDefault }`; `busyDefault` says 8888 was taken (worth telling the learner).
 */
export async function chooseJupyterPort(wanted?: number): Promise<{ port: number; busyDefault: boolean }> {
  if (wanted !== undefined) return { port: wanted, busyDefault: false };
  if (await isPortFree(DEFAULT_JUPYTER_PORT)) return { port: DEFAULT_JUPYTER_PORT, busyDefault: false };
  return { port: await findFreePort(), busyDefault: true };
}
