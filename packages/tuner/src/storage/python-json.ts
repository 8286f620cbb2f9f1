/**
 * JSON as Python's `json` module writes and reads it (Optuna's journal is written with
 * `json.dumps` and read with `json.loads`): standard JSON, plus the bare tokens `NaN`, `Infinity`
 * and `-Infinity` for the numbers JSON cannot spell. `JSON.stringify` would write them as `null`
 * (a NaN intermediate value read back as null), and `JSON.parse` refuses them (a journal that
 * Python wrote with one NaN could not be read at all).
 */

/** `JSON.stringify(value)`, except that NaN and ±Infinity are written `NaN`, `Infinity`, `-Infinity` as Python writes them. */
export function stringifyPythonJson(value: unknown): string {
  return write(value, false) ?? 'null';
}

function nonFinite(n: number): string {
  return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
}

/** undefined where JSON.stringify leaves the value out (undefined, functions, symbols). */
function write(value: unknown, inArray: boolean): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(): unknown }).toJSON();
  }
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : nonFinite(value);
  if (value instanceof Number) return write(value.valueOf(), inArray);
  if (value instanceof String || value instanceof Boolean) return JSON.stringify(value);
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined && inArray ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => write(v, true)).join(',')}]`;
  const fields: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const text = write(v, false);
    if (text !== undefined) fields.push(`${JSON.stringify(k)}:${text}`);
  }
  return `{${fields.join(',')}}`;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

/**
 * `JSON.parse(text)`, also taking the bare `NaN`, `Infinity` and `-Infinity` that Python's
 * `json.loads` takes. Throws a SyntaxError on anything else that is not JSON.
 */
export function parsePythonJson(text: string): unknown {
  // Lines without those words (nearly all) take the native parser.
  if (!text.includes('NaN') && !text.includes('Infinity')) return JSON.parse(text);
  let pos = 0;
  const fail = (): never => {
    throw new SyntaxError(`Unexpected token at position ${pos} in JSON`);
  };
  const skip = () => {
    WHITESPACE.lastIndex = pos;
    WHITESPACE.exec(text);
    pos = WHITESPACE.lastIndex;
  };
  const word = (w: string): boolean => {
    if (!text.startsWith(w, pos)) return false;
    pos += w.length;
    return true;
  };
  const string = (): string => {
    const start = pos;
    pos++;
    while (pos < text.length && text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1;
    if (pos >= text.length) fail();
    pos++;
    return JSON.parse(text.slice(start, pos)) as string;
  };
  const value = (): unknown => {
    skip();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const obj: Record<string, unknown> = {};
      skip();
      if (word('}')) return obj;
      for (;;) {
        skip();
        if (text[pos] !== '"') fail();
        const key = string();
        skip();
        if (!word(':')) fail();
        // defineProperty: a key "__proto__" is a field, as JSON.parse makes it.
        Object.defineProperty(obj, key, { value: value(), enumerable: true, writable: true, configurable: true });
        skip();
        if (word('}')) return obj;
        if (!word(',')) fail();
      }
    }
    if (c === '[') {
      pos++;
      const arr: unknown[] = [];
      skip();
      if (word(']')) return arr;
      for (;;) {
        arr.push(value());
        skip();
        if (word(']')) return arr;
        if (!word(',')) fail();
      }
    }
    if (c === '"') return string();
    if (word('NaN')) return Number.NaN;
    if (word('Infinity')) return Number.POSITIVE_INFINITY;
    if (word('-Infinity')) return Number.NEGATIVE_INFINITY;
    if (word('true')) return true;
    if (word('false')) return false;
    if (word('null')) return null;
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (!m) return fail();
    pos = NUMBER.lastIndex;
    return Number(m[0]);
  };
  const out = value();
  skip();
  if (pos !== text.length) fail();
  return out;
}
