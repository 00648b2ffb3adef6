/**
 * `node watchtower-main.ts <store folder>`: runs a watchtower (see `watchtower.ts`) against the node of
 * `LNLAB_RPC_URL`, printing one JSON event per line, until SIGTERM or SIGINT.
 */
import { BitcoindClient } from '../chain/bitcoind-client.js';
import { rpcConfigFromEnv } from '../chain/config.js';
import { runWatchtower, type WatchtowerEvent } from './watchtower.js';

const storeDir = process.argv[2];
const report = (event: WatchtowerEvent) => process.stdout.write(`${JSON.stringify(event)}\n`);
if (!storeDir) {
  report({ kind: 'error', message: 'usage: watchtower-main.ts <FileStore folder>' });
  process.exit(2);
}
const stop = new AbortController();
process.once('SIGTERM', () => stop.abort());
process.once('SIGINT', () => stop.abort());
try {
  await runWatchtower(storeDir, await BitcoindClient.connect(rpcConfigFromEnv()), report, stop.signal);
} catch (err) {
  report({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exitCode = 1;
}
