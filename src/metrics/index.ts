// Public entry point of `threadvisor/metrics`: Prometheus metrics through prom-client (an optional peer
// dependency: install it to use this entry; the main entry never loads it). Re-exports only.
export { prometheusReporter } from './prometheus-reporter.js';
export type { PrometheusReporter, PrometheusReporterOptions } from './prometheus-reporter.js';
export type { CallObservation, CallObserver } from '../observability/call-observer.js';
