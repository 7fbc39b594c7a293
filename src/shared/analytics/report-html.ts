import type { Severity } from './analyze';
import type { AnalyticsReport, SeriesChart } from './report';

/**
 * The report as one HTML file that opens anywhere, offline: inline CSS and inline SVG, no
 * script and no URL that the browser would fetch.
 */

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const iso = (t: number): string => new Date(t).toISOString().replace('T', ' ').slice(0, 19) + 'Z';
const num = (v: number): string => (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : Number(v.toPrecision(4)).toString());

const SEVERITY_COLOR: Record<Severity, string> = { critical: '#f85149', warning: '#d29922', info: '#58a6ff' };
const W = 640;
const H = 160;
const PAD = { l: 56, r: 12, t: 10, b: 22 };

export function chartSvg(chart: SeriesChart, from: number, to: number): string {
  const pts = chart.points;
  if (pts.length === 0)
    return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(chart.series)}: no data"><text x="${W / 2}" y="${H / 2}" text-anchor="middle" fill="#8b949e">no data in the window</text></svg>`;
  const values = [...pts.map((p) => p.v), ...(chart.threshold === undefined ? [] : [chart.threshold])];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  const span = Math.max(1, to - from);
  const x = (t: number): number => PAD.l + ((t - from) / span) * (W - PAD.l - PAD.r);
  const y = (v: number): number => PAD.t + (1 - (v - lo) / (hi - lo)) * (H - PAD.t - PAD.b);
  const path = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join('');
  const parts = [
    `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(chart.series)}">`,
    `<line x1="${PAD.l}" y1="${H - PAD.b}" x2="${W - PAD.r}" y2="${H - PAD.b}" stroke="#30363d"/>`,
    `<text x="${PAD.l - 4}" y="${PAD.t + 8}" text-anchor="end" class="ax">${esc(num(hi))}</text>`,
    `<text x="${PAD.l - 4}" y="${H - PAD.b}" text-anchor="end" class="ax">${esc(num(lo))}</text>`,
    `<text x="${PAD.l}" y="${H - 6}" class="ax">${esc(iso(from))}</text>`,
    `<text x="${W - PAD.r}" y="${H - 6}" text-anchor="end" class="ax">${esc(iso(to))}</text>`,
  ];
  if (chart.threshold !== undefined) {
    parts.push(
      `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y(chart.threshold).toFixed(1)}" y2="${y(chart.threshold).toFixed(1)}" stroke="#d29922" stroke-dasharray="4 3"/>`,
    );
  }
  parts.push(`<path d="${path}" fill="none" stroke="#58a6ff" stroke-width="1.5"/>`);
  for (const a of chart.anomalies)
    parts.push(
      `<circle class="anomaly" cx="${x(a.t).toFixed(1)}" cy="${y(a.v).toFixed(1)}" r="3.5" fill="#f85149"><title>${esc(`${num(a.v)} at ${iso(a.t)}`)}</title></circle>`,
    );
  parts.push('</svg>');
  return parts.join('');
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;background:#0d1117;color:#c9d1d9;margin:0;padding:24px 32px;max-width:1100px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #30363d;padding-bottom:4px}
.muted,.ax{color:#8b949e;fill:#8b949e;font-size:11px}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:4px 8px;border-bottom:1px solid #21262d;vertical-align:top}
th{color:#8b949e;font-weight:500}.sev{display:inline-block;padding:0 6px;border-radius:8px;font-size:11px;color:#0d1117}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:16px}.chart{width:100%;height:auto;background:#161b22;border:1px solid #30363d;border-radius:6px}
figure{margin:0}figcaption{font-family:ui-monospace,monospace;font-size:12px;margin-bottom:4px}code{font-family:ui-monospace,monospace;font-size:12px}`;

const sev = (s: Severity): string => `<span class="sev" style="background:${SEVERITY_COLOR[s]}">${s}</span>`;

export function reportHtml(r: AnalyticsReport): string {
  const a = r.result;
  const rows = (cells: string[][]): string => cells.map((c) => `<tr>${c.map((x) => `<td>${x}</td>`).join('')}</tr>`).join('');
  const empty = (what: string): string => `<p class="muted">${esc(what)}</p>`;
  const findings = a.findings.length
    ? `<table><tr><th>severity</th><th>finding</th><th>evidence</th><th>series</th></tr>${rows(a.findings.map((f) => [sev(f.severity), esc(f.title), esc(f.evidence), f.series.map((s) => `<code>${esc(s)}</code>`).join('<br>')]))}</table>`
    : empty('No bottleneck found in the window.');
  const recs = a.recommendations.length
    ? `<table><tr><th>#</th><th>do</th><th>because</th></tr>${rows(a.recommendations.map((x) => [String(x.rank), `${sev(x.severity)} ${esc(x.action)}`, esc(x.why)]))}</table>`
    : empty('Nothing to recommend.');
  const forecasts = a.forecasts.length
    ? `<table><tr><th>what</th><th>series</th><th>when</th><th>range</th></tr>${rows(a.forecasts.map((f) => [esc(f.kind === 'memory-full' ? `${f.subject} memory reaches ${num(f.target)} bytes` : `${f.subject} backlog clears`), `<code>${esc(f.series)}</code>`, esc(iso(f.at)), esc(`${iso(f.earliest)} … ${iso(f.latest)}`)]))}</table>`
    : empty('No saturation or backlog forecast: no series moves towards a limit with a slope the data supports.');
  const trends = a.trends.filter((t) => t.direction === 'rising' || t.direction === 'falling');
  const trendTable = trends.length
    ? `<table><tr><th>series</th><th>direction</th><th>change per hour</th><th>R²</th></tr>${rows(trends.map((t) => [`<code>${esc(t.series)}</code>`, esc(t.direction), esc(`${num(t.perHour)} ± ${num(t.perHourMargin)}`), t.r2.toFixed(2)]))}</table>`
    : empty('No series shows a trend the fit supports.');
  const charts = r.charts
    .map(
      (c) =>
        `<figure><figcaption>${esc(c.series)}${c.unit ? ` <span class="muted">(${esc(c.unit)})</span>` : ''}</figcaption>${chartSvg(c, a.from, a.to)}</figure>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Swarmdeck report — ${esc(r.profileName)}</title><style>${CSS}</style></head><body>
<h1>Swarmdeck report — ${esc(r.profileName)}</h1>
<p class="muted">${esc(iso(a.from))} to ${esc(iso(a.to))} · ${r.seriesRead} series at ${esc(r.resolution)} · generated ${esc(iso(r.generatedAt))}</p>
<h2>Recommendations</h2>${recs}
<h2>Findings</h2>${findings}
<h2>Forecasts</h2>${forecasts}
<h2>Trends</h2>${trendTable}
<h2>Series</h2>${charts ? `<div class="charts">${charts}</div>` : empty('No series recorded in the window.')}
</body></html>
`;
}
