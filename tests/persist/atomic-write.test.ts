/** `atomicWriteFile` on its own (FileStore's tests exercise it through the store as well). */
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atomicWriteFile, isAtomicWriteTempName, nodeFileSystem } from '../../src/persist/index.js';
import { removeAtomicWriteLeftovers } from '../../src/util/atomic-write.js';
import { FaultyFileSystem } from './fault-fs.js';
import { useTempDirs } from './temp-dir.js';

const tempDir = useTempDirs();
const text = (s: string) => new TextEncoder().encode(s);

describe('atomicWriteFile', () => {
  it('creates or replaces the file, leaving no temporary file', async () => {
    const dir = await tempDir();
    const target = join(dir, 'value');
    await atomicWriteFile(target, text('first'));
    await atomicWriteFile(target, text('second'));
    expect(await readFile(target, 'utf8')).toBe('second');
    expect(await readdir(dir)).toEqual(['value']);
  });

  it('gives a file exactly the mode asked for, whatever the umask', async () => {
    const dir = await tempDir();
    const previous = process.umask(0o000);
    try {
      await atomicWriteFile(join(dir, 'secret'), text('k'), { mode: 0o600 });
      process.umask(0o077);
      await atomicWriteFile(join(dir, 'shared'), text('v'), { mode: 0o640 });
      await atomicWriteFile(join(dir, 'plain'), text('v'));
    } finally {
      process.umask(previous);
    }
    expect((await stat(join(dir, 'secret'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'shared'))).mode & 0o777).toBe(0o640); // not narrowed to 0o600 by the umask
    expect((await stat(join(dir, 'plain'))).mode & 0o777).toBe(0o600); // the default mode does follow the umask
  });

  it.each([
    ['writeFile', 'ENOSPC', 'write the temporary file'],
    ['sync', 'EIO', 'fsync the temporary file'],
    ['rename', 'EROFS', 'rename the temporary file over the target'],
  ] as const)('a failing %s (%s) rejects naming the step and the file, and the old contents stay', async (method, code, stage) => {
    const dir = await tempDir();
    const target = join(dir, 'value');
    await writeFile(target, 'old');
    const faulty = new FaultyFileSystem();
    faulty.arm({ path: (p) => isAtomicWriteTempName(p.split('/').at(-1)!), method, code, partial: true });
    const error = await atomicWriteFile(target, text('new'), { fs: faulty.fs, context: 'test' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'PersistError', stage, osCode: code, path: target, message: expect.stringMatching(/^test: /) });
    expect(await readFile(target, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['value']);
  });

  it('removeAtomicWriteLeftovers deletes only temporary files, and a missing directory has none', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, '.value.0011aabbccdd.tmp'), 'torn');
    await writeFile(join(dir, 'value'), 'kept');
    await writeFile(join(dir, '.hidden'), 'kept');
    await removeAtomicWriteLeftovers(nodeFileSystem, dir, 'test');
    expect((await readdir(dir)).sort()).toEqual(['.hidden', 'value']);
    await expect(removeAtomicWriteLeftovers(nodeFileSystem, join(dir, 'absent'), 'test')).resolves.toBeUndefined();
  });
});
