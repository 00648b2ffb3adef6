/**
 * Where the regtest node's JSON-RPC lives. One configuration serves both backends: the embedded bcoin
 * node and docker compose's Bitcoin Core listen on the same address with the same credentials.
 *
 * Environment variables (all optional):
 * - `LNLAB_RPC_URL`      default `http://127.0.0.1:18443` (18443 is Bitcoin Core's regtest RPC port)
 * - `LNLAB_RPC_USER`     default `lnlab`
 * - `LNLAB_RPC_PASSWORD` default `lnlab`
 * - `LNLAB_RPC_WARMUP_TIMEOUT_S` default 120: how long to wait for a node that says it is still starting
 */
import { ConfigError } from './errors.js';

export interface RpcConfig {
  /** `http://host:port` of the node's JSON-RPC endpoint. */
  readonly url: string;
  readonly username: string;
  readonly password: string;
}

/** Bitcoin Core's default regtest RPC port, used by the embedded node too so one config serves both. */
export const DEFAULT_RPC_PORT = 18443;
/** Regtest-only credentials; they guard nothing of value and are the same in docker-compose.yml. */
export const DEFAULT_RPC_USER = 'lnlab';
export const DEFAULT_RPC_PASSWORD = 'lnlab';

export function rpcConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RpcConfig {
  return Object.freeze({
    url: env.LNLAB_RPC_URL || `http://127.0.0.1:${DEFAULT_RPC_PORT}`,
    username: env.LNLAB_RPC_USER || DEFAULT_RPC_USER,
    password: env.LNLAB_RPC_PASSWORD || DEFAULT_RPC_PASSWORD,
  });
}

/** The RPC port of a config's URL (the default port when the URL names none). */
export function rpcPort(config: RpcConfig): number {
  const parsed = new URL(config.url);
  return parsed.port ? Number(parsed.port) : DEFAULT_RPC_PORT;
}

/**
 * How long a client waits for a node that answers "still starting" (Bitcoin Core's error -28) before it
 * gives up. Core on a workshop-sized regtest chain is ready within seconds; loading a long chain, or a
 * reindex, can take a minute or more, and a learner who just ran `docker compose up -d` should not be
 * told to try again while Core is merely busy.
 */
export const DEFAULT_RPC_WARMUP_TIMEOUT_MS = 120_000;
const MS_PER_S = 1_000;

/**
 * `LNLAB_RPC_WARMUP_TIMEOUT_S` in milliseconds, or the default when it is unset. Throws `ConfigError`
 * for a value that is not a positive number of seconds, rather than silently waiting some other time.
 */
export function rpcWarmupTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.LNLAB_RPC_WARMUP_TIMEOUT_S;
  if (!text) return DEFAULT_RPC_WARMUP_TIMEOUT_MS;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new ConfigError('LNLAB_RPC_WARMUP_TIMEOUT_S', 'a number of seconds above 0', text, 'set it to e.g. 300, or unset it for the default (120)');
  }
  return seconds * MS_PER_S;
}
