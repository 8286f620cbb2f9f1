export interface Series {
  name: string;
  color: string;
  points: [number, number][];
  /** Draw dots (sparse series such as per-epoch validation). */
  dots?: boolean;
}

const W = 420;
const H = 220;
const PAD = { left: 44, right: 10, top: 24, bottom: 28 };

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3);
}

/** A small responsive SVG line chart (viewBox scaling), re-rendered on each update. */
export function renderLineChart(host: HTMLElement, series: readonly Series[], options: { xLabel: string; yMin?: number; yMax?: number }): void {
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(1, ...all.map((p) => p[0]));
  const ys = all.map((p) => p[1]).filter(Number.isFinite);
  const yMin = options.yMin ?? (ys.length ? Math.min(...ys) : 0);
  const yMax = options.yMax ?? (ys.length ? Math.max(...ys) : 1);
  const span = yMax - yMin || 1;
  const x = (v: number) => PAD.left + (v / xMax) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - ((v - yMin) / span) * (H - PAD.top - PAD.bottom);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => yMin + t * span);
  const parts: string[] = [];
  for (const t of ticks)
    parts.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t)}" y2="${y(t)}" stroke="#e5e5e5"/><text x="${PAD.left - 4}" y="${y(t) + 4}" text-anchor="end">${fmt(t)}</text>`,
    );
  parts.push(`<text x="${(W + PAD.left) / 2}" y="${H - 6}" text-anchor="middle">${options.xLabel} (0 – ${fmt(xMax)})</text>`);
  series.forEach((s, i) => {
    const pts = s.points.filter((p) => Number.isFinite(p[1]));
    if (pts.length > 1)
      parts.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="1.6" points="${pts.map((p) => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ')}"/>`,
      );
    if (s.dots || pts.length === 1) for (const p of pts) parts.push(`<circle cx="${x(p[0])}" cy="${y(p[1])}" r="3" fill="${s.color}"/>`);
    const last = pts.at(-1);
    parts.push(
      `<rect x="${PAD.left + 8 + i * 130}" y="6" width="10" height="10" fill="${s.color}"/><text x="${PAD.left + 22 + i * 130}" y="15">${s.name}${last ? ` ${fmt(last[1])}` : ''}</text>`,
    );
  });
  host.innerHTML = `<svg class="line-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${series.map((s) => s.name).join(' vs ')}" data-points="${all.length}">${parts.join('')}</svg>`;
}
