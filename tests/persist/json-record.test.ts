import { describe, expect, it } from 'vitest';
import { CorruptRecordError, FileStore, decodeJsonRecord, encodeJsonRecord, encodeRecord } from '../../src/persist/index.js';
import { useTempDirs } from './temp-dir.js';

const tempDir = useTempDirs();

describe('encodeJsonRecord / decodeJsonRecord', () => {
  it('round-trips bigints, byte arrays, $-keys and nesting through a real file', async () => {
    const value = {
      channelValueSats: 16_777_215n,
      huge: -(2n ** 100n),
      fundingTxid: new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
      empty: new Uint8Array(),
      nested: { list: [1, 'two', null, true, [3n]], $bigint: 'not a tag', $$double: 1 },
      ['__proto__']: { stays: 'data' },
    };
    const store = await FileStore.open(await tempDir());
    await store.write('monitors', 'chan_0', encodeJsonRecord('ChannelMonitor', 1, value));
    const file = store.describe('monitors', 'chan_0');
    const decoded = decodeJsonRecord<typeof value>(await store.read('monitors', 'chan_0'), file, { kind: 'ChannelMonitor', formatVersion: 1 });
    expect(decoded.kind).toBe('ChannelMonitor');
    expect(decoded.formatVersion).toBe(1);
    expect(decoded.value).toEqual(value);
    expect(decoded.value.fundingTxid).toBeInstanceOf(Uint8Array);
    expect(Object.getPrototypeOf(decoded.value)).toBe(Object.prototype);
  });

  it('stores tags in readable JSON', () => {
    const bytes = encodeJsonRecord('K', 1, { sats: 5n, key: new Uint8Array([1, 171]) });
    expect(new TextDecoder().decode(bytes)).toContain('{"sats":{"$bigint":"5"},"key":{"$bytes":"01ab"}}');
  });

  it('reads a Buffer back as a Uint8Array and drops undefined properties like JSON does', () => {
    const { value } = decodeJsonRecord(encodeJsonRecord('K', 1, { b: Buffer.from([1, 2]), gone: undefined }), 'f');
    expect(value).toEqual({ b: new Uint8Array([1, 2]) });
  });

  it.each([
    ['NaN', { fee: Number.NaN }, '$.fee', 'NaN'],
    ['Infinity', { list: [Infinity] }, '$.list[0]', 'Infinity'],
    ['a Map', { m: new Map() }, '$.m', 'Map'],
    ['a Date', { at: new Date(0) }, '$.at', 'Date'],
    ['a class instance', { x: new (class Monitor {})() }, '$.x', 'Monitor'],
    ['a Uint16Array', { x: new Uint16Array(1) }, '$.x', 'Uint16Array'],
    ['undefined in an array', { x: [undefined] }, '$.x[0]', 'undefined'],
    ['a function', { f: () => 1 }, '$.f', 'function'],
    ['a symbol', { s: Symbol('s') }, '$.s', 'symbol'],
  ])('refuses %s instead of silently changing it, naming the path', (_label, value, path, got) => {
    expect(() => encodeJsonRecord('K', 1, value)).toThrow(expect.objectContaining({
      code: 'UNENCODABLE_VALUE', message: expect.stringMatching(new RegExp(`value at ${path.replace(/[$[\]]/g, '\\$&')} expected .*got .*${got}`)),
    }));
  });

  it('refuses a reference cycle', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encodeJsonRecord('K', 1, cyclic)).toThrow(/reference cycle/);
    const shared = { n: 1n };
    expect(decodeJsonRecord(encodeJsonRecord('K', 1, [shared, shared]), 'f').value).toEqual([shared, shared]); // not a cycle
  });

  it.each([
    ['invalid JSON', new TextEncoder().encode('{"truncated": ')],
    ['invalid UTF-8', new Uint8Array([0x22, 0xff, 0x22])],
    ['a malformed bigint tag', new TextEncoder().encode('{"$bigint":"1.5"}')],
    ['a malformed bytes tag', new TextEncoder().encode('{"$bytes":"abc"}')],
    ['an unescaped $-key', new TextEncoder().encode('{"$ref":1,"x":2}')],
  ])('a payload with %s is a CorruptRecordError (bad-payload) naming the file', (_label, jsonBytes) => {
    const bytes = encodeRecord('K', 1, jsonBytes);
    expect(() => decodeJsonRecord(bytes, '/data/monitors/chan_0')).toThrow(CorruptRecordError);
    expect(() => decodeJsonRecord(bytes, '/data/monitors/chan_0')).toThrow(
      expect.objectContaining({ reason: 'bad-payload', fileName: '/data/monitors/chan_0' }),
    );
  });
});
