export type Align = 'left' | 'right';

/** Rows of cells padded to common column widths, joined by `gap`; trailing spaces trimmed. */
export function alignColumns(rows: string[][], align: readonly Align[], gap = '  '): string[] {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (align[c] === 'right' ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join(gap)
      .trimEnd(),
  );
}

/** True for a cell that reads as a number: 12, -0.5, 1,234, 89.21%. */
const numeric = (cell: string | number) => typeof cell === 'number' || /^-?[\d.,]+%?$/.test(cell);

export interface FormatTableOptions {
  /** Per column. Default: right for columns whose every cell is a number, else left. */
  align?: Align[];
}

/** A plain-text table: the header, a rule of dashes, the rows, columns aligned. */
export function formatTable(header: string[], rows: (string | number)[][], options: FormatTableOptions = {}): string {
  const align = options.align ?? header.map((_, c) => (rows.length > 0 && rows.every((r) => numeric(r[c] ?? '')) ? 'right' : 'left'));
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const [head, ...body] = alignColumns(cells, align);
  return [head, widths.map((w) => '-'.repeat(w)).join('  '), ...body].join('\n');
}
