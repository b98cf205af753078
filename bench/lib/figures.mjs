// Small helpers the suites share to turn timings into a row's figure.

/** Runs `run` (which does `count` operations) and returns operations per second of wall time. */
export async function perSecond(count, run) {
  const t0 = performance.now();
  await run();
  return (count * 1000) / (performance.now() - t0);
}

/** The median of a list of numbers. */
export function median(values) {
  return percentile(values, 0.5);
}

/**
 * The q-quantile (0..1) of a list of numbers, interpolated between the two nearest ranks (so the median of
 * an even count is the mean of the middle two).
 */
export function percentile(values, q) {
  const s = Float64Array.from(values).sort();
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return s[lo] + (s[hi] - s[lo]) * (at - lo);
}
