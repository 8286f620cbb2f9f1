/** Confusion matrix as an SVG heatmap: rows are true classes, columns predictions; counts in cells. */
export function renderConfusion(host: HTMLElement, matrix: readonly (readonly number[])[], classNames: readonly string[]): void {
  const n = matrix.length;
  const cell = 34;
  const left = 90;
  const top = 90;
  const width = left + n * cell + 60; // room for the last slanted column label
  const height = top + n * cell + 4;
  const rowMax = matrix.map((row) => Math.max(1, ...row));
  const parts: string[] = [];
  matrix.forEach((row, t) =>
    row.forEach((count, p) => {
      const share = count / rowMax[t];
      const fill = t === p ? `rgba(22, 120, 60, ${0.15 + 0.85 * share})` : `rgba(200, 40, 40, ${count ? 0.1 + 0.9 * share : 0})`;
      parts.push(
        `<rect x="${left + p * cell}" y="${top + t * cell}" width="${cell - 1}" height="${cell - 1}" fill="${fill}"><title>${classNames[t]} → ${classNames[p]}: ${count}</title></rect>`,
      );
      if (count)
        parts.push(
          `<text x="${left + p * cell + cell / 2}" y="${top + t * cell + cell / 2 + 4}" text-anchor="middle" fill="${share > 0.6 ? '#fff' : '#222'}">${count}</text>`,
        );
    }),
  );
  classNames.forEach((name, i) => {
    parts.push(`<text x="${left - 4}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end">${name}</text>`);
    parts.push(`<text transform="translate(${left + i * cell + cell / 2 + 4}, ${top - 4}) rotate(-60)">${name}</text>`);
  });
  host.innerHTML = `<svg class="confusion" viewBox="0 0 ${width} ${height}" role="img" aria-label="confusion matrix">${parts.join('')}</svg>`;
}
