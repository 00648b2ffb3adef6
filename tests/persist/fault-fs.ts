/**
 * A `FileSystem` for fault injection: the real file system, except that armed faults make chosen calls on
 * chosen files fail with an OS error code (ENOSPC, EIO) that a test running as root cannot cause for real.
 * It also records which file handles were used after they failed, to check that a failed handle is never
 * trusted again.
 */
import * as fsp from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { nodeFileSystem, type FileSystem } from '../../src/persist/index.js';

/** The handle methods a fault can hit, plus `rename` and `readFile` on the file system itself. */
export type FaultMethod = 'write' | 'writeFile' | 'sync' | 'datasync' | 'truncate' | 'rename' | 'readFile';

export interface Fault {
  /** Which path it applies to (the file opened, or the rename's source). */
  readonly path: (path: string) => boolean;
  readonly method: FaultMethod;
  readonly code: string;
  /** How many calls fail before it disarms itself; default: every call while armed. */
  times?: number;
  /** For `write`/`writeFile`: write the first half for real before failing, like a disk filling up mid-write. */
  readonly partial?: boolean;
}

export function osError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected by the test`), { code });
}

export class FaultyFileSystem {
  private readonly faults: Fault[] = [];
  /** Handles on which an injected fault fired. */
  private readonly failedHandles = new Set<FileHandle>();
  /** Calls made on a handle after a fault fired on it (other than `close`). */
  readonly reusedAfterFailure: string[] = [];
  /** The number of faults that fired. */
  fired = 0;

  arm(fault: Fault): void {
    this.faults.push(fault);
  }

  /** Remove every armed fault (or only those on `method`). */
  disarmAll(method?: FaultMethod): void {
    for (let i = this.faults.length - 1; i >= 0; i--) if (method === undefined || this.faults[i]!.method === method) this.faults.splice(i, 1);
  }

  readonly fs: FileSystem = {
    ...nodeFileSystem,
    open: async (...args: Parameters<FileSystem['open']>) => this.wrap(await fsp.open(...args), String(args[0])),
    readFile: (async (path: string, ...rest: unknown[]) => {
      const fault = this.fire(String(path), 'readFile');
      if (fault !== undefined) throw osError(fault.code);
      return (fsp.readFile as (...a: unknown[]) => unknown)(path, ...rest);
    }) as FileSystem['readFile'],
    rename: async (from, to) => {
      const fault = this.fire(String(from), 'rename');
      if (fault !== undefined) throw osError(fault.code);
      return fsp.rename(from, to);
    },
  };

  /** The armed fault for `path`/`method`, if any, counted as fired; the caller throws it. */
  private fire(path: string, method: FaultMethod): Fault | undefined {
    const fault = this.faults.find((f) => f.method === method && f.path(path));
    if (fault === undefined) return undefined;
    if (fault.times !== undefined && --fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    this.fired++;
    return fault;
  }

  private wrap(handle: FileHandle, path: string): FileHandle {
    const methods = new Set<string>(['write', 'writeFile', 'sync', 'datasync', 'truncate']);
    return new Proxy(handle, {
      get: (target, property) => {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        const name = String(property);
        return async (...callArgs: unknown[]) => {
          if (this.failedHandles.has(target) && name !== 'close') this.reusedAfterFailure.push(`${name} ${path}`);
          const fault = methods.has(name) ? this.fire(path, name as FaultMethod) : undefined;
          if (fault !== undefined) {
            this.failedHandles.add(target);
            if (fault.partial && (name === 'write' || name === 'writeFile')) {
              const data = callArgs[0] as Uint8Array;
              const position = name === 'write' ? (callArgs[3] as number) : 0;
              await target.write(data.subarray(0, data.length >> 1), 0, data.length >> 1, position);
            }
            throw osError(fault.code);
          }
          return (value as (...a: unknown[]) => unknown).apply(target, callArgs);
        };
      },
    });
  }
}
