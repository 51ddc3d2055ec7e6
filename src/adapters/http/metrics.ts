/**
 * Prometheus text exposition (format 0.0.4) for the server: request counts, a latency histogram
 * per route, errors by code, and gauges sampled at scrape time. No dependencies.
 */

/** Latency histogram buckets, in seconds. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labels(pairs: Record<string, string>): string {
  const parts = Object.entries(pairs).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

/** A gauge read when /metrics is scraped. */
export interface GaugeSource {
  name: string;
  help: string;
  read: () => number;
}

/** Counters and histograms the server updates, rendered on demand. */
export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly errors = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly batchLines = new Map<string, number>();
  private readonly gauges: GaugeSource[] = [];

  /** Registers a gauge read at scrape time. */
  addGauge(g: GaugeSource): void {
    this.gauges.push(g);
  }

  /** Records one finished request. `route` is the matched route pattern, never the raw path. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = JSON.stringify([method, route, String(status)]);
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const hkey = JSON.stringify([method, route]);
    let h = this.latency.get(hkey);
    if (!h) {
      h = { counts: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.latency.set(hkey, h);
    }
    LATENCY_BUCKETS.forEach((b, i) => {
      if (seconds <= b) h.counts[i] = (h.counts[i] ?? 0) + 1;
    });
    h.sum += seconds;
    h.count += 1;
  }

  /** Records an error answered with a stable code (whole requests and batch lines). */
  observeError(code: string, where: 'request' | 'batch_line'): void {
    const key = JSON.stringify([code, where]);
    this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
  }

  /** Records one processed batch line. */
  observeBatchLine(outcome: 'ok' | 'error'): void {
    this.batchLines.set(outcome, (this.batchLines.get(outcome) ?? 0) + 1);
  }

  /** The Prometheus text. */
  render(): string {
    const out: string[] = [];
    out.push('# HELP stancecheck_http_requests_total HTTP requests answered, by method, route and status.');
    out.push('# TYPE stancecheck_http_requests_total counter');
    for (const [key, n] of this.requests) {
      const [method = '', route = '', status = ''] = JSON.parse(key) as string[];
      out.push(`stancecheck_http_requests_total${labels({ method, route, status })} ${n}`);
    }
    out.push(
      '# HELP stancecheck_http_request_duration_seconds Time from request received to response headers (for /v1/batch, to the start of the stream).',
    );
    out.push('# TYPE stancecheck_http_request_duration_seconds histogram');
    for (const [key, h] of this.latency) {
      const [method = '', route = ''] = JSON.parse(key) as string[];
      LATENCY_BUCKETS.forEach((b, i) => {
        out.push(
          `stancecheck_http_request_duration_seconds_bucket${labels({ method, route, le: String(b) })} ${h.counts[i] ?? 0}`,
        );
      });
      out.push(
        `stancecheck_http_request_duration_seconds_bucket${labels({ method, route, le: '+Inf' })} ${h.count}`,
      );
      out.push(`stancecheck_http_request_duration_seconds_sum${labels({ method, route })} ${h.sum}`);
      out.push(`stancecheck_http_request_duration_seconds_count${labels({ method, route })} ${h.count}`);
    }
    out.push(
      '# HELP stancecheck_errors_total Errors answered, by stable error code and where (request or batch line).',
    );
    out.push('# TYPE stancecheck_errors_total counter');
    for (const [key, n] of this.errors) {
      const [code = '', where = ''] = JSON.parse(key) as string[];
      out.push(`stancecheck_errors_total${labels({ code, where })} ${n}`);
    }
    out.push('# HELP stancecheck_batch_lines_total Batch lines processed, by outcome.');
    out.push('# TYPE stancecheck_batch_lines_total counter');
    for (const [outcome, n] of this.batchLines) {
      out.push(`stancecheck_batch_lines_total${labels({ outcome })} ${n}`);
    }
    for (const g of this.gauges) {
      out.push(`# HELP ${g.name} ${g.help}`);
      out.push(`# TYPE ${g.name} gauge`);
      out.push(`${g.name} ${g.read()}`);
    }
    return `${out.join('\n')}\n`;
  }
}
