// Renders results as a plain-text table.

/** One line per row: figures with their spread, the ratio, and the target when there is one. */
export function formatTable(results) {
  const header = ['row', 'ours (min-max)', 'baseline (min-max)', 'unit', 'ratio', 'target'];
  const lines = results.map((r) => [
    r.name,
    `${r.ours} (${r.oursMin}-${r.oursMax})`,
    `${r.baseline} (${r.baselineMin}-${r.baselineMax})`,
    r.unit,
    String(r.ratio),
    r.target === undefined ? '' : `${r.better === 'higher' ? '>=' : '<='} ${r.target} ${r.met ? 'met' : 'MISSED'}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const render = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [render(header), render(widths.map((w) => '-'.repeat(w))), ...lines.map(render)].join('\n');
}
