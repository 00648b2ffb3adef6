/**
 * A node whose holes are filled: `assembleNode` makes subclasses of `ChannelMonitor`, `ChainMonitor` and
 * `ChannelManager` with the given functions in place of their methods, wired so that each builds the
 * others' assembled versions (a ChainMonitor loads assembled monitors, a ChannelManager opens channels with
 * them). Checks install the learner's function this way; later notebooks install the learner's passing
 * functions and, where a learner has none, the reference from `solutions/`.
 *
 * The base classes are never modified: a hole stays a hole for anyone holding the plain class, so calling
 * `ChannelMonitor.prototype.blockConnected` from a learner's cell reaches the hole, not an answer.
 */
import { ChainMonitor, type ChainMonitorClass } from './chain-monitor.js';
import { ChannelManager, type ChannelManagerClass } from './channel-manager.js';
import { ChannelMonitor, type ChannelMonitorClass } from './channel-monitor.js';
import { CounterpartyCommitmentSecrets, type CounterpartyCommitmentSecretsClass } from '../ln/secret-store.js';

/**
 * The classes of a node with exercise methods: the three of the seed, and the monitor's secret store (its
 * insert is a deep dive). An assembled `ChannelMonitor` builds its store from `CounterpartyCommitmentSecrets`.
 */
export interface NodeClasses {
  readonly ChannelMonitor: ChannelMonitorClass;
  readonly ChainMonitor: ChainMonitorClass;
  readonly ChannelManager: ChannelManagerClass;
  readonly CounterpartyCommitmentSecrets: CounterpartyCommitmentSecretsClass;
}

/** Which class an exercise method belongs to. */
export type NodeComponent = keyof NodeClasses;

/** Functions to install, by component and method name, e.g. `{ ChannelMonitor: { blockConnected: fn } }`. */
export type NodeMethods = { readonly [C in NodeComponent]?: Readonly<Record<string, Function>> };

/** The node's classes exactly as `src/node` defines them: every exercise still a hole. */
export const HOLED_NODE: NodeClasses = Object.freeze({ ChannelMonitor, ChainMonitor, ChannelManager, CounterpartyCommitmentSecrets });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyClass = new (...args: any[]) => object;

/** `class extends base {}` whose name V8 shows in stack traces is `base`'s (returned directly, so it infers no other). */
function namedSubclass<C extends AnyClass>(base: C): C {
  return { [base.name]: class extends base {} }[base.name]!;
}

/**
 * A subclass of `base`, with the same name (so a stack trace reads `ChainMonitor.watchChannel`), whose
 * prototype holds `methods`.
 */
function subclass<C extends AnyClass>(base: C, methods: Readonly<Record<string, Function>> | undefined): C {
  const name = base.name;
  const Assembled = namedSubclass(base);
  for (const [method, fn] of Object.entries(methods ?? {})) {
    if (typeof fn !== 'function') throw new TypeError(`assembleNode: ${name}.${method} expected a function, got ${typeof fn}`);
    Object.defineProperty(Assembled.prototype, method, { value: fn, writable: true, configurable: true });
  }
  return Assembled as unknown as C;
}

/** `base` itself when there is nothing to install, else a subclass holding `methods`. */
function withMethods<C extends AnyClass>(base: C, methods: Readonly<Record<string, Function>> | undefined): C {
  return Object.keys(methods ?? {}).length === 0 ? base : subclass(base, methods);
}

/** A subclass of `base` with `methods`, building monitors of `monitorClass` (`base` itself is never touched). */
function subclassWithMonitor<C extends ChainMonitorClass | ChannelManagerClass>(base: C, methods: Readonly<Record<string, Function>> | undefined, monitorClass: ChannelMonitorClass): C {
  const assembled = subclass(base, methods);
  Object.defineProperty(assembled, 'monitorClass', { value: monitorClass, writable: false, configurable: true });
  return assembled;
}

/**
 * The node's classes with `methods` installed. Components not mentioned keep their holes; the plain
 * classes are returned unchanged when nothing at all is installed.
 */
export function assembleNode(methods: NodeMethods, base: NodeClasses = HOLED_NODE): NodeClasses {
  const Store = withMethods(base.CounterpartyCommitmentSecrets, methods.CounterpartyCommitmentSecrets);
  let Monitor = withMethods(base.ChannelMonitor, methods.ChannelMonitor);
  if (Store !== base.CounterpartyCommitmentSecrets) {
    // The monitor builds its store: a filled-in store needs a monitor class of its own that names it.
    if (Monitor === base.ChannelMonitor) Monitor = subclass(base.ChannelMonitor, {});
    Object.defineProperty(Monitor, 'secretStoreClass', { value: Store, writable: false, configurable: true });
  }
  const monitorChanged = Monitor !== base.ChannelMonitor;
  const Chain =
    monitorChanged || methods.ChainMonitor ? subclassWithMonitor(base.ChainMonitor, methods.ChainMonitor, Monitor) : base.ChainMonitor;
  const Manager =
    monitorChanged || methods.ChannelManager ? subclassWithMonitor(base.ChannelManager, methods.ChannelManager, Monitor) : base.ChannelManager;
  return Object.freeze({ ChannelMonitor: Monitor, ChainMonitor: Chain, ChannelManager: Manager, CounterpartyCommitmentSecrets: Store });
}
