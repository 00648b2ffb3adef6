/**
 * No Docker engine runs where the tests run, so the compose file is checked as text: it must offer the
 * same node the client expects (regtest, txindex, fallback fee), on loopback only, at the same port and
 * credentials as the embedded node.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RPC_PASSWORD, DEFAULT_RPC_PORT, DEFAULT_RPC_USER, PROJECT_ROOT } from '../../src/internal.js';

const compose = readFileSync(join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8');

describe('docker-compose.yml', () => {
  it('runs a pinned Bitcoin Core image', () => {
    expect(compose).toMatch(/image: bitcoin\/bitcoin:\d+\.\d+/);
  });

  it('runs regtest with txindex and a fallback fee', () => {
    for (const flag of ['-regtest=1', '-server=1', '-txindex=1', '-fallbackfee=']) expect(compose).toContain(flag);
  });

  it('uses the same credentials and port as the embedded node, published on 127.0.0.1 only', () => {
    expect(compose).toContain(`-rpcuser=${DEFAULT_RPC_USER}`);
    expect(compose).toContain(`-rpcpassword=${DEFAULT_RPC_PASSWORD}`);
    const published = [...compose.matchAll(/^\s*- "([^"]+)"$/gm)].map((m) => m[1]);
    expect(published).toEqual([`127.0.0.1:${DEFAULT_RPC_PORT}:18443`]);
  });
});
