/**
 * `createChannel` never throws and never panics: every way an open can fail comes back as a `Failure`
 * carrying a typed error, with the wallet's coins unlocked and nothing broadcast.
 */
import { describe, expect, it } from 'vitest';
import {
  CounterpartyRefusedError,
  InProcessNetwork,
  InsufficientFundsError,
  MonitorPersistFailedError,
  OpenRefusedError,
  PeerNotConnectedError,
  userConfig,
} from '../../src/internal.js';
import { fundOffline, offlineNode } from '../helpers/offline-node.js';

const network = new InProcessNetwork();
const alice = offlineNode('alice', 0xa1);
const bob = offlineNode('bob', 0xb0);
const picky = offlineNode('picky', 0xe0, userConfig({ handshake: { minFundingSat: 2_000_000n } }));
const loner = offlineNode('loner', 0x10);
network.connect(alice.manager, bob.manager);
network.connect(alice.manager, picky.manager);
const nodes = [alice, bob, picky, loner];

async function failureOf(promise: Promise<{ kind: string; error?: unknown }>) {
  const status = await promise;
  expect(status.kind).toBe('Failure');
  return (status as { error: Error & { code: string } }).error;
}

describe('createChannel failures', () => {
  it('not enough funds: refused before any message is sent', async () => {
    await fundOffline(network, nodes, alice, 1_500_000n);
    const sent = network.log.length;
    const error = await failureOf(alice.manager.createChannel(bob.keysManager.nodeId, 2_000_000n));
    expect(error).toBeInstanceOf(InsufficientFundsError);
    expect(error.message).toMatch(/expected confirmed wallet coins worth at least 2000000 sat .* got 1500000 sat/);
    expect(network.log.length).toBe(sent);
  });

  it('a peer we have no link to, or a channel size we do not open', async () => {
    expect(await failureOf(alice.manager.createChannel(loner.keysManager.nodeId, 100_000n))).toBeInstanceOf(PeerNotConnectedError);
    const tooSmall = await failureOf(alice.manager.createChannel(bob.keysManager.nodeId, 1_000n));
    expect(tooSmall).toBeInstanceOf(OpenRefusedError);
  });

  it('the counterparty refuses: its reason comes back, and our coins are free again', async () => {
    const error = await failureOf(alice.manager.createChannel(picky.keysManager.nodeId, 1_000_000n));
    expect(error).toBeInstanceOf(CounterpartyRefusedError);
    expect((error as CounterpartyRefusedError).reason).toMatch(/open_channel\.fundingSatoshis: expected at least 2000000 sat, got 1000000/);
    expect(alice.wallet.spendableBalanceSat()).toBe(1_500_000n);
  });

  it('our monitor cannot be persisted: nothing is broadcast, the coins are released, Bob is told', async () => {
    alice.persister.failEverything();
    const broadcastBefore = alice.broadcaster.broadcast.length;
    const error = await failureOf(alice.manager.createChannel(bob.keysManager.nodeId, 500_000n));
    alice.persister.heal();
    expect(error).toBeInstanceOf(MonitorPersistFailedError);
    expect(error.message).toMatch(/watchChannel: expected the ChainMonitor to answer Completed, got UnrecoverableError/);
    expect(alice.broadcaster.broadcast.length).toBe(broadcastBefore); // the funding transaction never left
    expect(alice.wallet.spendableBalanceSat()).toBe(1_500_000n);
    expect(alice.chainMonitor.monitors.size).toBe(0);
    await network.settle();
    expect(network.log.at(-1)).toMatchObject({ type: 'error' });
    // Bob had persisted his side and answered; told of the failure, he abandons it.
    expect(bob.manager.listChannels().map((c) => c.phase)).toEqual(['Failed']);
  });

  it('the acceptor cannot persist its monitor: it refuses instead of signing, and we get its reason', async () => {
    bob.persister.failEverything();
    const error = await failureOf(alice.manager.createChannel(bob.keysManager.nodeId, 500_000n));
    bob.persister.heal();
    expect(error).toBeInstanceOf(CounterpartyRefusedError);
    expect((error as CounterpartyRefusedError).reason).toMatch(/watchChannel: expected the ChainMonitor to answer Completed/);
    expect(alice.wallet.spendableBalanceSat()).toBe(1_500_000n);
    expect(network.log.slice(-2).map((m) => m.type)).toEqual(['funding_created', 'error']);
  });

  it('after all that, an open that should work does', async () => {
    const status = await alice.manager.createChannel(bob.keysManager.nodeId, 500_000n);
    expect(status.kind).toBe('Success');
  });
});
