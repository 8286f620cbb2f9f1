import { describe, expect, it } from 'vitest';
import { parsePythonJson, stringifyPythonJson } from './python-json';

describe("Python's JSON (json.dumps / json.loads)", () => {
  const sample = {
    op_code: 7,
    worker_id: 'w-0',
    a: [1, -0.5, 1e-7, 1e21, true, false, null, 'NaN', 'Infinity', 'x"\\\\\n\u00e9\u2028'],
    nested: { deep: [[], {}, { k: 'v' }] },
    empty: '',
  };

  it('writes what JSON.stringify writes, except NaN and ±Infinity, which are bare as Python writes them', () => {
    expect(stringifyPythonJson(sample)).toBe(JSON.stringify(sample));
    expect(stringifyPythonJson({ v: Number.NaN, w: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY] })).toBe('{"v":NaN,"w":[Infinity,-Infinity]}');
    // JSON.stringify's rules for what it leaves out or turns into null.
    const odd = { u: undefined, f: () => 1, d: new Date(0), arr: [undefined, () => 1], n: new Number(2), s: new String('s') };
    expect(stringifyPythonJson(odd)).toBe(JSON.stringify(odd));
  });

  it('reads what JSON.parse reads, plus bare NaN, Infinity and -Infinity; strings stay strings', () => {
    expect(parsePythonJson(JSON.stringify(sample))).toEqual(sample);
    const text = ' { "v" : NaN , "w": [ Infinity,-Infinity, "NaN", "-Infinity" ], "n": -1.5e-3, "__proto__": {"p": 1} } ';
    const out = parsePythonJson(text) as Record<string, unknown>;
    expect(out.v).toBeNaN();
    expect(out.w).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 'NaN', '-Infinity']);
    expect(out.n).toBe(-1.5e-3);
    // "__proto__" is a field, as JSON.parse makes it, not the object's prototype.
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toContain('__proto__');
    expect(parsePythonJson(stringifyPythonJson(sample))).toEqual(sample);
  });

  it('refuses what Python refuses too', () => {
    for (const bad of ['{"a": nan}', '{"a": NaN', '[Infinity,]', '{"a": -NaN}', 'NaN NaN', '{"a": "NaN}', '{"a": +Infinity}', '{"Infinity": 01}']) {
      expect(() => parsePythonJson(bad), bad).toThrow(SyntaxError);
    }
  });
});
