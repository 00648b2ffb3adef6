/**
 * Where the regtest node's JSON-RPC lives. One configuration serves both backends: the embedded bcoin
 * node and docker compose's Bitcoin Core listen on the same address with the same credentials.
 *
 * Environment variables (all optional):
 * - `LNLAB_RPC_URL`      default `http://127.0.0.1:18443` (18443 is Bitcoin Core's regtest RPC port)
 * - `LNLAB_RPC_USER`     default `lnlab`
 * - `LNLAB_RPC_PASSWORD` default `lnlab`
 */
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
