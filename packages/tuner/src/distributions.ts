import { TunerError } from './tuner-error';

export type CategoricalChoice = string | number | boolean | null;

export interface FloatDistribution {
  kind: 'float';
  low: number;
  high: number;
  log: boolean;
  step: number | null;
}

export interface IntDistribution {
  kind: 'int';
  low: number;
  high: number;
  log: boolean;
  step: number;
}

export interface CategoricalDistribution {
  kind: 'categorical';
  choices: CategoricalChoice[];
}

export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;
export type ParamValue = number | CategoricalChoice;

export function floatDistribution(name: string, low: number, high: number, options: { log?: boolean; step?: number } = {}): FloatDistribution {
  const log = options.log ?? false;
  const step = options.step ?? null;
  if (!(Number.isFinite(low) && Number.isFinite(high)) || low > high) throw new TunerError(`${name}: expected low <= high, got [${low}, ${high}]`);
  if (log && step !== null) throw new TunerError(`${name}: log and step cannot be used together`);
  if (log && low <= 0) throw new TunerError(`${name}: log scale needs low > 0, got ${low}`);
  if (step !== null && !(step > 0)) throw new TunerError(`${name}: step must be positive, got ${step}`);
  // As Optuna: high is adjusted down to the last point on the step grid.
  const adjHigh = step !== null ? low + Math.floor((high - low) / step + 1e-9) * step : high;
  return { kind: 'float', low, high: adjHigh, log, step };
}

export function intDistribution(name: string, low: number, high: number, options: { log?: boolean; step?: number } = {}): IntDistribution {
  const log = options.log ?? false;
  const step = options.step ?? 1;
  if (!Number.isInteger(low) || !Number.isInteger(high) || low > high) throw new TunerError(`${name}: expected integers low <= high, got [${low}, ${high}]`);
  if (log && step !== 1) throw new TunerError(`${name}: log and step != 1 cannot be used together`);
  if (log && low < 1) throw new TunerError(`${name}: log scale needs low >= 1, got ${low}`);
  if (!Number.isInteger(step) || step < 1) throw new TunerError(`${name}: step must be a positive integer, got ${step}`);
  return { kind: 'int', low, high: low + Math.floor((high - low) / step) * step, log, step };
}

export function categoricalDistribution(name: string, choices: readonly CategoricalChoice[]): CategoricalDistribution {
  if (choices.length === 0) throw new TunerError(`${name}: choices must not be empty`);
  return { kind: 'categorical', choices: [...choices] };
}

/** Optuna stores a categorical by its index and numbers as themselves. */
export function toInternal(d: Distribution, value: ParamValue): number {
  if (d.kind === 'categorical') {
    const i = d.choices.indexOf(value);
    if (i < 0) throw new TunerError(`value ${JSON.stringify(value)} is not one of ${JSON.stringify(d.choices)}`);
    return i;
  }
  return value as number;
}

export function toExternal(d: Distribution, internal: number): ParamValue {
  if (d.kind === 'categorical') return d.choices[internal];
  if (d.kind === 'int') return Math.round(internal);
  return internal;
}

export function contains(d: Distribution, value: ParamValue): boolean {
  if (d.kind === 'categorical') return d.choices.includes(value as CategoricalChoice);
  if (typeof value !== 'number' || Number.isNaN(value)) return false;
  if (d.kind === 'int' && !Number.isInteger(value)) return false;
  return value >= d.low - 1e-12 && value <= d.high + 1e-12;
}

export function sameDistribution(a: Distribution, b: Distribution): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Optuna's JSON: {"name": "FloatDistribution", "attributes": {...}} (a string inside journal logs). */
export function distributionToJson(d: Distribution): string {
  if (d.kind === 'float') return JSON.stringify({ name: 'FloatDistribution', attributes: { step: d.step, low: d.low, high: d.high, log: d.log } });
  if (d.kind === 'int') return JSON.stringify({ name: 'IntDistribution', attributes: { log: d.log, step: d.step, low: d.low, high: d.high } });
  return JSON.stringify({ name: 'CategoricalDistribution', attributes: { choices: d.choices } });
}

export function distributionFromJson(json: string): Distribution {
  const parsed = JSON.parse(json) as { name: string; attributes: Record<string, unknown> };
  const a = parsed.attributes;
  switch (parsed.name) {
    case 'FloatDistribution':
      return {
        kind: 'float',
        low: Number(a.low),
        high: Number(a.high),
        log: Boolean(a.log),
        step: a.step === null || a.step === undefined ? null : Number(a.step),
      };
    case 'UniformDistribution':
      return { kind: 'float', low: Number(a.low), high: Number(a.high), log: false, step: null };
    case 'LogUniformDistribution':
      return { kind: 'float', low: Number(a.low), high: Number(a.high), log: true, step: null };
    case 'DiscreteUniformDistribution':
      return { kind: 'float', low: Number(a.low), high: Number(a.high), log: false, step: Number(a.q) };
    case 'IntDistribution':
      return { kind: 'int', low: Number(a.low), high: Number(a.high), log: Boolean(a.log), step: Number(a.step ?? 1) };
    case 'IntUniformDistribution':
      return { kind: 'int', low: Number(a.low), high: Number(a.high), log: false, step: Number(a.step ?? 1) };
    case 'IntLogUniformDistribution':
      return { kind: 'int', low: Number(a.low), high: Number(a.high), log: true, step: 1 };
    case 'CategoricalDistribution':
      return { kind: 'categorical', choices: a.choices as CategoricalChoice[] };
    default:
      throw new TunerError(`unknown distribution ${parsed.name}`);
  }
}
