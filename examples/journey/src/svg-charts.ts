// Small, dependency-free SVG charts for the self-contained report.

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface Series {
  name: string;
  points: [number, number][];
  dashed?: boolean;
}

/** A line chart with axes, ticks and a legend. */
export function lineChart(title: string, series: Series[], options: { xLabel?: string; yLabel?: string; width?: number; height?: number } = {}): string {
  const width = options.width ?? 420;
  const height = options.height ?? 240;
  const pad = { l: 48, r: 12, t: 28, b: 36 };
  const all = series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y));
  if (all.length === 0)
    return `<svg class="chart" data-chart="${esc(title)}" width="${width}" height="${height}" role="img"><title>${esc(title)}</title><text x="10" y="20">${esc(title)}: no data</text></svg>`;
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs) === Math.min(...xs) ? Math.min(...xs) + 1 : Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y0 === y1) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const px = (x: number) => pad.l + ((x - x0) / (x1 - x0)) * (width - pad.l - pad.r);
  const py = (y: number) => height - pad.b - ((y - y0) / (y1 - y0)) * (height - pad.t - pad.b);
  const ticks = Array.from({ length: 5 }, (_, i) => y0 + ((y1 - y0) * i) / 4);
  const parts = [
    `<svg class="chart" data-chart="${esc(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" xmlns="http://www.w3.org/2000/svg">`,
    `<title>${esc(title)}</title>`,
    `<text x="${width / 2}" y="16" text-anchor="middle" class="t">${esc(title)}</text>`,
    `<line x1="${pad.l}" y1="${height - pad.b}" x2="${width - pad.r}" y2="${height - pad.b}" stroke="#999"/>`,
    `<line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${height - pad.b}" stroke="#999"/>`,
    ...ticks.map(
      (t) =>
        `<text x="${pad.l - 4}" y="${py(t) + 4}" text-anchor="end" class="tick">${Math.abs(t) >= 100 ? t.toFixed(0) : t.toFixed(3)}</text><line x1="${pad.l}" x2="${width - pad.r}" y1="${py(t)}" y2="${py(t)}" stroke="#eee"/>`,
    ),
    `<text x="${width / 2}" y="${height - 6}" text-anchor="middle" class="tick">${esc(options.xLabel ?? 'epoch')}</text>`,
  ];
  series.forEach((s, i) => {
    const pts = s.points.filter(([, y]) => Number.isFinite(y));
    if (pts.length === 0) return;
    const color = COLORS[i % COLORS.length];
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''} points="${pts.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`,
    );
    for (const [x, y] of pts) parts.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="2.5" fill="${color}"/>`);
    parts.push(
      `<rect x="${pad.l + 8 + i * 110}" y="${pad.t - 4}" width="10" height="3" fill="${color}"/><text x="${pad.l + 22 + i * 110}" y="${pad.t}" class="tick">${esc(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

/** A confusion-matrix heatmap with counts and class names. */
export function heatmap(title: string, matrix: number[][], labels: string[]): string {
  const n = matrix.length;
  const cell = 34;
  const left = 96;
  const top = 100;
  const width = left + n * cell + 10;
  const height = top + n * cell + 10;
  const rowMax = matrix.map((r) => Math.max(1, ...r));
  const parts = [
    `<svg class="chart" data-chart="${esc(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>`,
    `<text x="4" y="14" class="t">${esc(title)} (rows: true, columns: predicted)</text>`,
  ];
  labels.forEach((l, i) => {
    parts.push(`<text x="${left - 4}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end" class="tick">${esc(l)}</text>`);
    parts.push(`<text transform="translate(${left + i * cell + cell / 2 + 4},${top - 4}) rotate(-60)" class="tick">${esc(l)}</text>`);
  });
  matrix.forEach((row, i) =>
    row.forEach((v, j) => {
      const a = v / rowMax[i];
      const fill = i === j ? `rgba(37,99,235,${0.15 + 0.85 * a})` : `rgba(220,38,38,${Math.min(1, 4 * a)})`;
      parts.push(
        `<rect x="${left + j * cell}" y="${top + i * cell}" width="${cell - 1}" height="${cell - 1}" fill="${fill}"><title>${esc(labels[i])} predicted as ${esc(labels[j])}: ${v}</title></rect>`,
      );
      parts.push(`<text x="${left + j * cell + cell / 2}" y="${top + i * cell + cell / 2 + 4}" text-anchor="middle" class="cell">${v}</text>`);
    }),
  );
  parts.push('</svg>');
  return parts.join('');
}

/** Horizontal bars (importances). */
export function barChart(title: string, values: Record<string, number>): string {
  const entries = Object.entries(values);
  const width = 420;
  const rowH = 22;
  const height = 30 + entries.length * rowH;
  const max = Math.max(1e-9, ...entries.map(([, v]) => v));
  const parts = [
    `<svg class="chart" data-chart="${esc(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title><text x="4" y="16" class="t">${esc(title)}</text>`,
  ];
  entries.forEach(([k, v], i) => {
    const y = 26 + i * rowH;
    parts.push(
      `<text x="110" y="${y + 14}" text-anchor="end" class="tick">${esc(k)}</text><rect x="116" y="${y + 3}" width="${((width - 170) * v) / max}" height="${rowH - 6}" fill="${COLORS[0]}"/><text x="${120 + ((width - 170) * v) / max}" y="${y + 14}" class="tick">${v.toFixed(2)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

export { esc };
