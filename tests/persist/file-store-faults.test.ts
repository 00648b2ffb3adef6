/**
 * Failed writes. Tests run as root, where chmod cannot make a directory unwritable, so faults come from
 * real impossible paths (a "directory" that is a regular file, a deleted directory, /proc) or, for faults
 * a test cannot cause for real (ENOSPC, EROFS, EIO), through FileStore's fs seam. The seam only injects the
 * fault; every other call goes to the real file system.
 */
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStore, NotFoundError, PersistError, nodeFileSystem, type FileSystem } from '../../src/persist/index.js';
import { useTempDirs } from './temp-dir.js';

const tempDir = useTempDirs();
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

function osError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected by the test`), { code });
}

/** The real file system with some functions replaced. */
function faultyFs(overrides: Partial<FileSystem>): FileSystem {
  return { ...nodeFileSystem, ...overrides };
}

/**
 * An `open` whose handles on temporary files fail at `method` with `code`; for `writeFile` it first writes
 * half the data for real, like a disk filling up mid-write.
 */
function openFailingAt(method: 'writeFile' | 'sync', code: string): FileSystem['open'] {
  return async (...args: Parameters<FileSystem['open']>) => {
    const handle = await fsp.open(...args);
    if (!String(args[0]).endsWith('.tmp')) return handle;
    return new Proxy(handle, {
      get(target, property) {
        if (property === method) {
          return async (data: Uint8Array) => {
            if (method === 'writeFile') await target.write(data.subarray(0, data.length >> 1));
            throw osError(code);
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
}

/** Open a store over the real fs, write the old value, then reopen the same root with `fs`. */
async function storeWithOldValue(fs: FileSystem): Promise<{ root: string; store: FileStore }> {
  const root = await tempDir();
  await (await FileStore.open(root)).write('monitors', 'chan_0', bytes('old value'));
  return { root, store: await FileStore.open(root, { fs }) };
}

async function expectOldValueIntact(root: string): Promise<void> {
  const fresh = await FileStore.open(root);
  expect(text(await fresh.read('monitors', 'chan_0'))).toBe('old value');
  expect(await fsp.readdir(join(root, 'monitors'))).toEqual(['chan_0']); // no partial target, no temp file left
}

describe('FileStore failed writes (injected through the fs seam)', () => {
  const cases: Array<[string, FileSystem, string, string, RegExp]> = [
    ['ENOSPC while writing', faultyFs({ open: openFailingAt('writeFile', 'ENOSPC') }), 'ENOSPC', 'write the temporary file', /free space on the volume/],
    ['EIO on fsync', faultyFs({ open: openFailingAt('sync', 'EIO') }), 'EIO', 'fsync the temporary file', /check the disk/],
    ['EROFS on rename', faultyFs({ rename: async () => { throw osError('EROFS'); } }), 'EROFS', 'rename the temporary file over the target', /read-only; remount/],
    ['EACCES creating the temp file', faultyFs({ open: async () => { throw osError('EACCES'); } }), 'EACCES', 'create the temporary file', /write permission/],
  ];

  it.each(cases)('%s → PersistError naming file, step and fix; old value intact', async (_label, fs, osCode, stage, fix) => {
    const { root, store } = await storeWithOldValue(fs);
    const target = join(root, 'monitors', 'chan_0');
    const error = await store.write('monitors', 'chan_0', bytes('NEW VALUE')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PersistError);
    expect(error).toMatchObject({ code: 'PERSIST_FAILED', path: target, osCode, stage });
    expect((error as PersistError).message).toContain(target);
    expect((error as PersistError).message).toContain('the previous value (if any) is unchanged');
    expect((error as PersistError).fix).toMatch(fix);
    await expectOldValueIntact(root);
  });

  it('a failed directory fsync rejects (value visible but not guaranteed durable)', async () => {
    const realOpen = nodeFileSystem.open;
    const fs = faultyFs({
      open: async (...args: Parameters<FileSystem['open']>) => {
        if (args[0] === join(root, 'monitors') && args[1] === 'r') throw osError('EIO');
        return realOpen(...args);
      },
    });
    const { root, store } = await storeWithOldValue(fs);
    await expect(store.write('monitors', 'chan_0', bytes('new'))).rejects.toMatchObject({
      name: 'PersistError', stage: 'fsync the directory', osCode: 'EIO', message: expect.stringMatching(/may not survive a power loss/),
    });
  });

  it('a failed remove rejects with PersistError and leaves the value', async () => {
    const { root, store } = await storeWithOldValue(faultyFs({ unlink: async () => { throw osError('EROFS'); } }));
    await expect(store.remove('monitors', 'chan_0')).rejects.toMatchObject({ name: 'PersistError', stage: 'remove the file', osCode: 'EROFS' });
    await expectOldValueIntact(root);
  });

  it('a later write to the same key still works after a failed one', async () => {
    let failNext = true;
    const fs = faultyFs({
      rename: async (from, to) => {
        if (failNext) { failNext = false; throw osError('ENOSPC'); }
        return nodeFileSystem.rename(from, to);
      },
    });
    const { store } = await storeWithOldValue(fs);
    await expect(store.write('monitors', 'chan_0', bytes('lost'))).rejects.toBeInstanceOf(PersistError);
    await store.write('monitors', 'chan_0', bytes('retried'));
    expect(text(await store.read('monitors', 'chan_0'))).toBe('retried');
  });
});

describe('FileStore failures on real impossible paths', () => {
  it('open under a regular file → PersistError ENOTDIR naming the root', async () => {
    const file = join(await tempDir(), 'plain-file');
    await fsp.writeFile(file, 'x');
    const error = await FileStore.open(join(file, 'store')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PersistError);
    expect(error).toMatchObject({ osCode: 'ENOTDIR', path: join(file, 'store'), stage: 'create the store directory' });
    expect((error as PersistError).fix).toMatch(/regular file, not a directory/);
  });

  it('write where the namespace "directory" is a regular file → PersistError ENOTDIR, file untouched', async () => {
    const root = await tempDir();
    const store = await FileStore.open(root);
    await fsp.writeFile(join(root, 'monitors'), 'squatter');
    await expect(store.write('monitors', 'chan_0', bytes('v'))).rejects.toMatchObject({
      name: 'PersistError', osCode: 'ENOTDIR', path: join(root, 'monitors', 'chan_0'),
    });
    expect(await fsp.readFile(join(root, 'monitors'), 'utf8')).toBe('squatter');
  });

  it('a vanished (deleted) store directory → write, read and list reject with PersistError, not "not found"', async () => {
    const root = await tempDir();
    const store = await FileStore.open(root);
    await store.write('monitors', 'chan_0', bytes('v'));
    await fsp.rm(root, { recursive: true });
    for (const call of [
      () => store.write('monitors', 'chan_0', bytes('v2')),
      () => store.read('monitors', 'chan_0'),
      () => store.list('monitors'),
      () => store.remove('monitors', 'chan_0'),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PersistError);
      expect(error).not.toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ osCode: 'ENOENT' });
      expect((error as PersistError).fix).toMatch(/vanished/);
    }
    await expect(fsp.stat(root)).rejects.toMatchObject({ code: 'ENOENT' }); // nothing silently recreated
  });

  // Both of these made Node's own recursive mkdir spin forever; the explicit timeout turns a regression
  // into a failure instead of a hung run.
  const HANG_GUARD_MS = 5_000;

  it.runIf(process.platform === 'linux')('open inside /proc (no directories can be made there) → PersistError', async () => {
    const root = `/proc/lnlab-persist-test-${process.pid}/store`;
    await expect(FileStore.open(root)).rejects.toMatchObject({ name: 'PersistError', osCode: 'ENOENT', stage: 'create the store directory' });
  }, HANG_GUARD_MS);

  it('open through a dangling symlink → PersistError', async () => {
    const dir = await tempDir();
    await fsp.symlink(join(dir, 'unmounted-disk'), join(dir, 'data'));
    await expect(FileStore.open(join(dir, 'data', 'store'))).rejects.toMatchObject({ name: 'PersistError', osCode: 'ENOENT' });
  }, HANG_GUARD_MS);
});
