/**
 * `KVStore`: the workshop's version of LDK's `KVStore` trait, the one seam through which everything that
 * must survive a restart (ChannelMonitors above all) reaches durable storage.
 */

/** Per-write options. Implementations without a notion of file permissions (e.g. in memory) may ignore them. */
export interface WriteOptions {
  /**
   * The value is key material (a ChannelMonitor holds revocation secrets): store it readable by the owner
   * only. `FileStore` writes such files with mode 0o600 inside a 0o700 directory.
   */
  readonly sensitive?: boolean;
}

/**
 * A durable map of `(namespace, key) → bytes`.
 *
 * Contract (every implementation):
 * - Names are validated with `assertValidName` before storage is touched: `[A-Za-z0-9_-]`, 1–120
 *   characters; a bad one rejects with `InvalidNameError` naming the argument.
 * - `write` resolves only once the value is durable (would survive a crash or power loss), and is atomic:
 *   a later `read` sees the old value or the new one, never a mix. If it rejects, treat the value as not
 *   persisted and retry; LDK's `Persist` contract depends on this.
 * - Writes to one key take effect in call order, so the last `write` called is the value that stays.
 * - `read` of an absent key rejects with `NotFoundError`; it never returns empty bytes for "missing".
 * - `remove` of an absent key succeeds (a retried remove after a crash must not fail).
 * - `list` returns the keys of a namespace, sorted; an unknown namespace is an empty list.
 */
export interface KVStore {
  /** The bytes stored under `namespace`/`key`. Rejects with `NotFoundError` if there are none. */
  read(namespace: string, key: string): Promise<Uint8Array>;
  /** Durably and atomically replace the value under `namespace`/`key`. */
  write(namespace: string, key: string, value: Uint8Array, options?: WriteOptions): Promise<void>;
  /** Durably delete `namespace`/`key`; succeeds if it is already absent. */
  remove(namespace: string, key: string): Promise<void>;
  /** The keys present in `namespace`, sorted. */
  list(namespace: string): Promise<string[]>;
  /**
   * Optional: where `namespace`/`key` lives (a file path for `FileStore`), so errors raised above the
   * store, such as a corrupt record, can name the file an operator should look at.
   */
  describe?(namespace: string, key: string): string;
}
