import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { MplError } from '../../src/errors/index.ts';
import { canonicalize, loadHasher, semanticHash, verifyHash, type SemanticHasher } from '../../src/hashing/index.ts';
import { loadedHasher } from '../../src/hashing/semantic-hasher.ts';

const wasmUrl = new URL('../../wasm/blake3.wasm', import.meta.url);
const wasmBytes = readFileSync(wasmUrl);
// An independent BLAKE3: blake3-wasm's own Node build and glue.
const reference = createRequire(import.meta.url)('blake3-wasm/dist/node') as { hash(data: Uint8Array): Buffer };
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const ALIVE = 'b3:9b9ac1ee8b9b03e61ed25dd0e4bf328bab3bd9ab0973993f77370ce7fa4a2386';

function wasLoaded(hasher: SemanticHasher): void {
  assert.equal(hasher.hash({ status: 'alive' }), ALIVE);
}

describe('loadHasher sources', () => {
  let server: Server;
  let base: string;
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/blake3.wasm' || req.url === '/wrong-mime.wasm') {
        res.writeHead(200, { 'content-type': req.url === '/blake3.wasm' ? 'application/wasm' : 'application/octet-stream' });
        res.end(wasmBytes);
      } else {
        res.writeHead(404).end('not here');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('loads without configuration', async () => wasLoaded(await loadHasher()));
  it('fetches a URL object served as application/wasm (streaming)', async () => wasLoaded(await loadHasher(new URL('/blake3.wasm', base))));
  it('fetches a URL string served with the wrong MIME type', async () => wasLoaded(await loadHasher(`${base}/wrong-mime.wasm`)));
  it('reads a file: URL', async () => wasLoaded(await loadHasher(wasmUrl)));
  it('takes a Response', async () => wasLoaded(await loadHasher(await fetch(`${base}/blake3.wasm`))));
  it('takes a Response built in memory', async () => wasLoaded(await loadHasher(new Response(wasmBytes))));
  it('takes bytes: Uint8Array and ArrayBuffer', async () => {
    wasLoaded(await loadHasher(new Uint8Array(wasmBytes)));
    wasLoaded(await loadHasher(wasmBytes.buffer.slice(wasmBytes.byteOffset, wasmBytes.byteOffset + wasmBytes.byteLength)));
  });
  it('takes a compiled WebAssembly.Module', async () => wasLoaded(await loadHasher(await WebAssembly.compile(wasmBytes))));

  it('refuses what cannot be loaded with E-WASM-LOAD', async () => {
    const refused = async (source: Parameters<typeof loadHasher>[0], message: RegExp) => {
      await assert.rejects(loadHasher(source), (e: unknown) => e instanceof MplError && e.code === 'E-WASM-LOAD' && message.test(e.message));
    };
    await refused(`${base}/missing.wasm`, /HTTP 404/);
    await refused(new Uint8Array([1, 2, 3]), /instantiate/);
    await refused(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]), /lacks memory, __heap_base, hash/); // valid but empty module
    await refused(new URL('../../wasm/absent.wasm', import.meta.url), /absent\.wasm/);
    await refused({ not: 'a source' }, /needs a URL, a Response, bytes or a WebAssembly\.Module/);
    // A failed fetch whose URL happens to say "csp" is no page policy refusing WebAssembly.
    await assert.rejects(loadHasher(`${base}/csp-demo/unsafe-eval/blake3.wasm`), (e: unknown) =>
      e instanceof MplError && /HTTP 404/.test(e.message) && !/wasm-unsafe-eval/.test(e.message) && e.details['contentSecurityPolicy'] === undefined);
  });
});

describe('one hasher per process', () => {
  let server: Server;
  let url: string;
  let fetched = 0;
  before(async () => {
    server = createServer((_req, res) => {
      fetched += 1;
      res.writeHead(200, { 'content-type': 'application/wasm' }).end(wasmBytes);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/blake3.wasm`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('loadHasher(source) sets the hasher that semanticHash, verifyHash and later loadHasher() use: the module is fetched once', async () => {
    const chosen = await loadHasher(url);
    assert.equal(await semanticHash({ status: 'alive' }), ALIVE);
    assert.equal(await verifyHash({ status: 'alive' }, ALIVE), true);
    assert.equal(await loadHasher(), chosen, 'the same hasher');
    assert.equal(await loadHasher(), chosen, 'the one Session and Client use');
    assert.equal(loadedHasher(), chosen, 'the one sessions hash with synchronously');
    assert.equal(fetched, 1);
  });

  it('a failed loadHasher(source) leaves the hasher loaded before in use, and breaks nothing while it loads', async () => {
    const before = await loadHasher();
    const failing = loadHasher(new Uint8Array([1, 2, 3]));
    assert.equal(loadedHasher(), before, 'while the new module loads, the old one hashes');
    assert.equal(await loadHasher(), before);
    await assert.rejects(failing, (e: unknown) => e instanceof MplError && e.code === 'E-WASM-LOAD');
    assert.equal(loadedHasher(), before, 'still the one loaded before');
    assert.equal(await semanticHash({ status: 'alive' }), ALIVE);
    assert.equal(fetched, 1, 'nothing loaded again');
  });

  it('a loadHasher(source) that fails while the first load is still under way leaves that load to the uses waiting on it', async () => {
    // A module instance of its own, where nothing has loaded yet.
    const fresh = (await import(`../../src/hashing/semantic-hasher.ts?first-load=${Date.now()}`)) as typeof import('../../src/hashing/semantic-hasher.ts');
    const first = fresh.loadHasher();
    const failing = fresh.loadHasher(new Uint8Array([1, 2, 3]));
    const meanwhile = fresh.loadHasher();
    await assert.rejects(failing, (e: unknown) => e instanceof MplError && e.code === 'E-WASM-LOAD');
    assert.equal(await meanwhile, await first);
    assert.equal(fresh.loadedHasher(), await first);
    assert.equal((await first).hash({ status: 'alive' }), ALIVE);
  });

  it('a later loadHasher(source) replaces the hasher once it has loaded; of two such calls the later wins', async () => {
    const before = await loadHasher();
    const first = loadHasher(url);
    const second = loadHasher(new Uint8Array(wasmBytes));
    assert.equal(loadedHasher(), before);
    const [a, b] = await Promise.all([first, second]);
    assert.notEqual(a, before);
    assert.notEqual(b, a);
    assert.equal(loadedHasher(), b, 'the later call');
    assert.equal(await loadHasher(), b);
    assert.equal(await semanticHash({ status: 'alive' }), ALIVE);
  });
});

describe('SemanticHasher', () => {
  it('blake3() equals an independent BLAKE3 around the chunk sizes', async () => {
    const hasher = await loadHasher();
    assert.equal(hex(hasher.blake3(new Uint8Array(0))), 'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262');
    for (const size of [1, 64, 1023, 1024, 1025, 65_535, 65_536, 65_537, 200_000, (1 << 20) + 7]) {
      const data = new Uint8Array(size).map((_, i) => (i * 31 + 7) & 0xff);
      assert.equal(hex(hasher.blake3(data)), reference.hash(data).toString('hex'), `${size} bytes`);
    }
  });

  it('hash() of long text equals BLAKE3 of its UTF-8, whatever falls on a chunk boundary', async () => {
    const hasher = await loadHasher();
    const piece = fc.constantFrom('a', 'é', '東', '😀', '\n', '"');
    fc.assert(fc.property(fc.array(piece, { minLength: 4000, maxLength: 40_000 }), (parts) => {
      const value = { text: parts.join(''), list: [parts.slice(0, 100).join('')] };
      return hasher.hash(value) === 'b3:' + reference.hash(Buffer.from(canonicalize(value), 'utf8')).toString('hex');
    }), { numRuns: 40 });
  });

  it('verify() is true for the right hash, false for a wrong or malformed one', async () => {
    const hasher = await loadHasher();
    assert.equal(hasher.verify({ status: 'alive' }, ALIVE), true);
    assert.equal(hasher.verify({ status: 'dead' }, ALIVE), false);
    for (const bad of ['', 'b3:', ALIVE.toUpperCase(), ALIVE.slice(3), ALIVE + '0', 'sha256:' + ALIVE.slice(3), ALIVE.replace('b3:', 'b3: ')]) {
      assert.equal(hasher.verify({ status: 'alive' }, bad), false, bad);
    }
    assert.equal(hasher.verify({ status: 'alive' }, 42 as unknown as string), false);
    assert.equal(hasher.verify({ status: 'alive' }, undefined as unknown as string), false);
    // The format is looked at only when the hash is not the value's: a malformed hash of the right
    // length is false whatever the value, even one with no canonical form.
    for (const bad of [ALIVE.toUpperCase(), 'b3:' + 'g'.repeat(64), 'blake3:' + ALIVE.slice(7), ALIVE.slice(0, 66) + '\u00e9']) {
      assert.equal(bad.length, ALIVE.length);
      assert.equal(hasher.verify({ status: 'alive' }, bad), false, bad);
      assert.equal(hasher.verify({ x: NaN }, bad), false, bad);
      assert.equal(hasher.verify({ x: NaN }, bad, { hashLayout: 'legacy' }), false, bad);
    }
  });

  it('verify() refuses a value with no canonical form rather than answer', async () => {
    const hasher = await loadHasher();
    assert.throws(() => hasher.verify({ x: NaN }, ALIVE), (e: unknown) => e instanceof MplError && e.code === 'E-NON-CANONICAL');
  });

  it('verify() accepts a hash in either layout, or in the one it is told', async () => {
    const hasher = await loadHasher();
    const value = { amount: 1e20, items: [{ id: -(2 ** 64) }] };
    const current = 'b3:' + reference.hash(Buffer.from('{"amount":1e+20,"items":[{"id":-1.8446744073709552e+19}]}')).toString('hex');
    const legacy = 'b3:' + reference.hash(Buffer.from('{"amount":1e20,"items":[{"id":-1.8446744073709552e19}]}')).toString('hex');
    assert.equal(hasher.hash(value), current);
    assert.equal(hasher.hash(value, { hashLayout: 'legacy' }), legacy);
    for (const hash of [current, legacy]) {
      assert.equal(hasher.verify(value, hash), true);
      assert.equal(hasher.verify(value, hash, { hashLayout: 'either' }), true);
    }
    assert.equal(hasher.verify(value, current, { hashLayout: 'current' }), true);
    assert.equal(hasher.verify(value, legacy, { hashLayout: 'current' }), false);
    assert.equal(hasher.verify(value, legacy, { hashLayout: 'legacy' }), true);
    assert.equal(hasher.verify(value, current, { hashLayout: 'legacy' }), false);
    assert.equal(hasher.verify({ amount: 1e19 }, legacy), false);
    // A layout that is none (plain JavaScript): each call names the ones it takes.
    assert.throws(() => hasher.verify(value, current, { hashLayout: 'bogus' as never }), /hashLayout must be 'current', 'legacy' or 'either', got "bogus"/);
    assert.throws(() => hasher.hash(value, { hashLayout: 'either' as never }), /hashLayout must be 'current' or 'legacy', got "either"/);
  });

  it('verify() walks the value again only after a mismatch, and hashes the legacy layout only if a number differs', async () => {
    const hasher = await loadHasher();
    let calls = 0;
    const counted = (payload: unknown) => ({ toJSON: () => (calls++, payload) }); // each walk of the value calls toJSON once
    const views = (value: unknown, hash: string) => {
      calls = 0;
      const ok = hasher.verify(value, hash);
      return { ok, calls };
    };
    const small = { n: 12.5, s: '1e+20' };
    const big = { n: 1e20 };
    assert.deepEqual(views(counted(small), hasher.hash(small)), { ok: true, calls: 1 });
    assert.deepEqual(views(counted(small), ALIVE), { ok: false, calls: 2 }); // no second hash: nothing differs
    assert.deepEqual(views(counted(big), hasher.hash(big)), { ok: true, calls: 1 });
    assert.deepEqual(views(counted(big), hasher.hash(big, { hashLayout: 'legacy' })), { ok: true, calls: 3 });
    assert.deepEqual(views(counted(big), ALIVE), { ok: false, calls: 3 });
  });

  it('frees the hasher of a hash that fails half-way, and stays usable', async () => {
    const hasher = await loadHasher();
    const big = Array.from({ length: 5000 }, (_, i) => `item ${i} `.repeat(10));
    assert.throws(() => hasher.hash([...big, NaN]), /\/5000/);
    wasLoaded(hasher);
  });

  it('hashes correctly when a toJSON hashes another value meanwhile', async () => {
    const hasher = await loadHasher();
    const long = 'x'.repeat(50_000);
    const inner = { toJSON: () => hasher.hash({ long }) };
    const outer = { long, inner };
    const expected = 'b3:' + reference.hash(Buffer.from(canonicalize({ long, inner: hasher.hash({ long }) }))).toString('hex');
    assert.equal(hasher.hash(outer), expected);
  });
});

describe('semanticHash and verifyHash', () => {
  it('hash with the shared lazily loaded hasher', async () => {
    assert.equal(await semanticHash({ status: 'alive' }), ALIVE);
    assert.equal(await verifyHash({ status: ' alive ', gone: null }, ALIVE), true);
    assert.equal(await verifyHash({ status: 'alive' }, 'b3:nope'), false);
  });

  it('take the layout option, and verify either layout by default', async () => {
    const legacy = await semanticHash([2 ** 70], { hashLayout: 'legacy' });
    assert.notEqual(legacy, await semanticHash([2 ** 70]));
    assert.equal(await semanticHash([2 ** 70], { hashLayout: 'current' }), await semanticHash([2 ** 70]));
    assert.equal(await verifyHash([2 ** 70], legacy), true);
    assert.equal(await verifyHash([2 ** 70], legacy, { hashLayout: 'current' }), false);
    assert.equal(await verifyHash([2 ** 70], legacy, { hashLayout: 'legacy' }), true);
  });

  it('refuse a hashLayout that is no layout (a typo in plain JavaScript) with E-INVALID-ARGUMENT', async () => {
    const hasher = await loadHasher();
    const typo = { hashLayout: 'Legacy' } as unknown as { hashLayout: 'legacy' };
    // Each names the layouts it takes: verification takes 'either' too.
    const invalid = (e: unknown) => e instanceof MplError && e.code === 'E-INVALID-ARGUMENT' && /'current'(, 'legacy' or 'either'| or 'legacy'), got "Legacy"/.test(e.message);
    assert.throws(() => canonicalize(1, typo), invalid);
    assert.throws(() => hasher.hash(1, typo), invalid);
    assert.throws(() => hasher.verify(1, ALIVE, typo), invalid);
    await assert.rejects(semanticHash(1, typo), invalid);
    await assert.rejects(verifyHash(1, ALIVE, typo), invalid);
  });

  it('reject with E-NON-CANONICAL, naming the path', async () => {
    await assert.rejects(semanticHash({ items: [1, 2, 3, { price: Infinity }] }), /\/items\/3\/price/);
  });
});
