const rules = new Intl.PluralRules('en-US');

/** `1 epoch`, `2 epochs`: a count with its noun in the number English wants (`plural` for irregular ones). */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${rules.select(n) === 'one' ? noun : plural}`;
}
