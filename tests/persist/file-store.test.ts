import { mkdir, readdir, stat, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStore, InvalidNameError, NotFoundError, MAX_NAME_LENGTH } from '../../src/persist/index.js';
import { useTempDirs } from './temp-dir.js';

const tempDir = useTempDirs();
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);
/** Permission bits only (strip the file-type bits `stat` reports). */
const PERMISSION_BITS = 0o777;

describe('FileStore basics', () => {
  it('writes, reads back, overwrites, lists and removes', async () => {
    const store = await FileStore.open(await tempDir());
    await store.write('monitors', 'abc_0', bytes('one'));
    expect(text(await store.read('monitors', 'abc_0'))).toBe('one');
    await store.write('monitors', 'abc_0', bytes('two'));
    expect(text(await store.read('monitors', 'abc_0'))).toBe('two');
    await store.write('monitors', 'b-key', bytes('x'));
    await store.write('other', 'abc_0', bytes('y'));
    expect(await store.list('monitors')).toEqual(['abc_0', 'b-key']);
    await store.remove('monitors', 'abc_0');
    expect(await store.list('monitors')).toEqual(['b-key']);
    await expect(store.read('monitors', 'abc_0')).rejects.toBeInstanceOf(NotFoundError);
    expect(text(await store.read('other', 'abc_0'))).toBe('y');
  });

  it('stores the value under <root>/<namespace>/<key> and returns a plain Uint8Array', async () => {
    const root = await tempDir();
    const store = await FileStore.open(root);
    await store.write('ns', 'k', new Uint8Array([0, 255, 7]));
    expect(store.describe('ns', 'k')).toBe(join(root, 'ns', 'k'));
    const value = await store.read('ns', 'k');
    expect(value.constructor).toBe(Uint8Array);
    expect([...value]).toEqual([0, 255, 7]);
  });

  it('stores an empty value as empty (distinct from a missing key)', async () => {
    const store = await FileStore.open(await tempDir());
    await store.write('ns', 'empty', new Uint8Array());
    expect((await store.read('ns', 'empty')).length).toBe(0);
  });

  it('read of a missing key rejects with NotFoundError naming namespace, key and file', async () => {
    const store = await FileStore.open(await tempDir());
    const error = await store.read('monitors', 'nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', namespace: 'monitors', key: 'nope', location: store.describe('monitors', 'nope') });
    expect(String((error as Error).message)).toContain(store.describe('monitors', 'nope'));
  });

  it('list of an unknown namespace is empty; remove of a missing key succeeds', async () => {
    const store = await FileStore.open(await tempDir());
    expect(await store.list('never')).toEqual([]);
    await store.remove('never', 'k');
    await store.write('ns', 'a', bytes('1'));
    await store.remove('ns', 'missing');
    expect(await store.list('ns')).toEqual(['a']);
  });

  it('copies the value at call time, so the caller may reuse its buffer', async () => {
    const store = await FileStore.open(await tempDir());
    const buffer = bytes('before');
    const pending = store.write('ns', 'k', buffer);
    buffer.set(bytes('AFTER!'));
    await pending;
    expect(text(await store.read('ns', 'k'))).toBe('before');
  });

  it('applies overlapping writes to one key in call order (last call wins)', async () => {
    const store = await FileStore.open(await tempDir());
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.write('ns', 'k', bytes(`v${i}`))));
    expect(text(await store.read('ns', 'k'))).toBe('v19');
    await Promise.all([store.write('ns', 'k', bytes('x')), store.remove('ns', 'k')]);
    expect(await store.list('ns')).toEqual([]);
  });

  it('creates a missing root directory (recursively) on open', async () => {
    const root = join(await tempDir(), 'a', 'b', 'c');
    const store = await FileStore.open(root);
    await store.write('ns', 'k', bytes('v'));
    expect((await stat(root)).isDirectory()).toBe(true);
  });
});

describe('FileStore name validation', () => {
  const bad: Array<[string, unknown]> = [
    ['empty', ''],
    ['path separator', 'a/b'],
    ['parent directory', '..'],
    ['dot (temp-file lookalike)', '.k.tmp'],
    ['space', 'a b'],
    ['non-ASCII', 'caf\u00e9'],
    ['too long', 'x'.repeat(MAX_NAME_LENGTH + 1)],
    ['not a string', 42],
  ];

  it.each(bad)('rejects a %s key in every method, naming the argument', async (_label, key) => {
    const store = await FileStore.open(await tempDir());
    for (const call of [
      () => store.read('ns', key as string),
      () => store.write('ns', key as string, bytes('v')),
      () => store.remove('ns', key as string),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidNameError);
      expect(error).toMatchObject({ code: 'INVALID_NAME', argument: 'key', value: key });
      expect((error as Error).message).toMatch(/key expected 1–120 characters of \[A-Za-z0-9_-\], got/);
    }
  });

  it.each(bad)('rejects a %s namespace in every method, naming the argument', async (_label, namespace) => {
    const store = await FileStore.open(await tempDir());
    for (const call of [
      () => store.read(namespace as string, 'k'),
      () => store.write(namespace as string, 'k', bytes('v')),
      () => store.remove(namespace as string, 'k'),
      () => store.list(namespace as string),
    ]) {
      await expect(call()).rejects.toMatchObject({ name: 'InvalidNameError', argument: 'namespace' });
    }
  });

  it('accepts a funding-outpoint key and the longest allowed name', async () => {
    const store = await FileStore.open(await tempDir());
    const outpoint = `${'ab'.repeat(32)}_4294967295`;
    await store.write('monitors', outpoint, bytes('m'));
    await store.write('x'.repeat(MAX_NAME_LENGTH), 'y'.repeat(MAX_NAME_LENGTH), bytes('v'));
    expect(await store.list('monitors')).toEqual([outpoint]);
  });

  it('rejects a non-Uint8Array value with a typed error', async () => {
    const store = await FileStore.open(await tempDir());
    await expect(store.write('ns', 'k', 'text' as unknown as Uint8Array)).rejects.toMatchObject({ code: 'INVALID_VALUE' });
  });
});

describe('FileStore temporary files', () => {
  it('list and read ignore temp and foreign files; open cleans temp files left by a crash', async () => {
    const root = await tempDir();
    const store = await FileStore.open(root);
    await store.write('ns', 'k', bytes('committed'));
    // What a crash mid-write leaves behind: a temp file beside the target.
    await writeFile(join(root, 'ns', '.k.0123456789ab.tmp'), 'half-writ');
    await writeFile(join(root, 'ns', 'README.md'), 'not a key');
    await mkdir(join(root, 'ns', 'subdir'));
    expect(await store.list('ns')).toEqual(['k']);
    expect(text(await store.read('ns', 'k'))).toBe('committed');

    await FileStore.open(root);
    expect((await readdir(join(root, 'ns'))).sort()).toEqual(['README.md', 'k', 'subdir']);
  });

  it('leaves no temp file behind after successful writes', async () => {
    const root = await tempDir();
    const store = await FileStore.open(root);
    for (let i = 0; i < 5; i++) await store.write('ns', 'k', bytes(`v${i}`));
    expect(await readdir(join(root, 'ns'))).toEqual(['k']);
  });
});

describe('FileStore permissions for key material', () => {
  it('a sensitive write gives a 0o600 file in a 0o700 directory', async () => {
    const root = await tempDir();
    const store = await FileStore.open(root);
    await store.write('keys', 'node_secret', bytes('s3cret'), { sensitive: true });
    expect((await stat(join(root, 'keys', 'node_secret'))).mode & PERMISSION_BITS).toBe(0o600);
    expect((await stat(join(root, 'keys'))).mode & PERMISSION_BITS).toBe(0o700);
  });

  it('a sensitive namespace makes every write owner-only, even with sensitive: false', async () => {
    const root = await tempDir();
    const store = await FileStore.open(root, { sensitiveNamespaces: ['monitors'] });
    await store.write('monitors', 'a_0', bytes('m'), { sensitive: false });
    await store.write('public', 'p', bytes('p'));
    expect((await stat(join(root, 'monitors', 'a_0'))).mode & PERMISSION_BITS).toBe(0o600);
    expect((await stat(join(root, 'monitors'))).mode & PERMISSION_BITS).toBe(0o700);
    expect((await stat(join(root, 'public', 'p'))).mode & 0o077).not.toBe(0); // ordinary data stays readable
  });

  it('tightens an existing loose namespace directory and replaces a loose file on sensitive write', async () => {
    const root = await tempDir();
    const store = await FileStore.open(root);
    await store.write('keys', 'k', bytes('public'));
    await chmod(join(root, 'keys'), 0o777);
    await store.write('keys', 'k', bytes('secret'), { sensitive: true });
    expect((await stat(join(root, 'keys', 'k'))).mode & PERMISSION_BITS).toBe(0o600);
    expect((await stat(join(root, 'keys'))).mode & PERMISSION_BITS).toBe(0o700);
  });

  it('rejects an invalid sensitive namespace name on open', async () => {
    await expect(FileStore.open(await tempDir(), { sensitiveNamespaces: ['a/b'] })).rejects.toBeInstanceOf(InvalidNameError);
  });
});
