/**
 * The address learners use to reach the class server: this machine's LAN address when it listens on
 * every interface, else the address it was told to listen on.
 */
import { networkInterfaces } from 'node:os';

const ANY_ADDRESSES: ReadonlySet<string> = new Set(['0.0.0.0', '::', '']);

/** Non-internal IPv4 addresses of this machine, in interface order (the first is usually the LAN's). */
export function lanAddresses(): string[] {
  const found: string[] = [];
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.family === 'IPv4' && !entry.internal) found.push(entry.address);
    }
  }
  return found;
}

/** The host name to print in the learners' URL; `lanFound` is false when only loopback was left. */
export function advertisedHost(listenHost: string): { host: string; lanFound: boolean; others: string[] } {
  if (!ANY_ADDRESSES.has(listenHost)) return { host: listenHost.includes(':') ? `[${listenHost}]` : listenHost, lanFound: true, others: [] };
  const [first, ...others] = lanAddresses();
  return first ? { host: first, lanFound: true, others } : { host: '127.0.0.1', lanFound: false, others: [] };
}
