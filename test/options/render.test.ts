import { SHARE_ENV } from 'node:worker_threads';
import { render } from '../../src/options/render.js';

describe('the one value renderer', () => {
  it('shows Infinity, -Infinity and NaN as themselves, not as null', () => {
    expect([Infinity, -Infinity, NaN].map(render)).toEqual(['Infinity', '-Infinity', 'NaN']);
    expect(render({ callTimeoutMs: Infinity, heartbeatMs: NaN })).toBe('{"callTimeoutMs":Infinity,"heartbeatMs":NaN}');
    expect(render([1, NaN])).toBe('[1,NaN]');
  });

  it('quotes strings and shows what JSON cannot: undefined, bigints, SHARE_ENV, functions', () => {
    expect(render('a')).toBe('"a"');
    expect(render(undefined)).toBe('undefined');
    expect(render({ a: undefined })).toBe('{"a":undefined}');
    expect(render(10n)).toBe('10n');
    expect(render(SHARE_ENV)).toBe('SHARE_ENV');
    expect(render(function named() {})).toBe('[function named]');
  });

  it('shows URLs by their href, and never throws on a cycle or a Proxy of a URL', () => {
    expect(render(new URL('file:///w.mjs'))).toBe('URL(file:///w.mjs)');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(render(cyclic)).toBe('{"a":1,"self":[Circular]}');
    expect(render(new Proxy(new URL('file:///w.mjs'), {}))).toBe('[object URL]');
  });

  it('keeps a rendering under 80 characters', () => {
    const long = render({ text: 'x'.repeat(200) });
    expect(long).toHaveLength(80);
    expect(long.endsWith('...')).toBe(true);
  });
});
