// Runs one row: a warm-up of each side, then `rounds` interleaved rounds, summarised by the median.

/** Measures a row and returns its entry for results.json. */
export async function measureRow(row, rounds) {
  await row.ours();
  await row.baseline();
  const ours = [];
  const baseline = [];
  for (let i = 0; i < rounds; i++) {
    // Alternating the order cancels drift (heating, GC debt) that would favour whichever runs second.
    if (i % 2 === 0) {
      ours.push(await row.ours());
      baseline.push(await row.baseline());
    } else {
      baseline.push(await row.baseline());
      ours.push(await row.ours());
    }
  }
  const o = summarise(ours);
  const b = summarise(baseline);
  const ratio = o.median / b.median;
  const entry = {
    name: row.name,
    ours: round(o.median),
    baseline: round(b.median),
    unit: row.unit,
    ratio: round(ratio, 3),
    better: row.better,
    oursMin: round(o.min),
    oursMax: round(o.max),
    baselineMin: round(b.min),
    baselineMax: round(b.max),
    rounds,
  };
  if (row.target !== undefined) {
    entry.target = row.target;
    entry.met = row.better === 'higher' ? ratio >= row.target : ratio <= row.target;
  }
  return entry;
}

function summarise(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

function round(value, digits = value >= 100 ? 0 : 2) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
