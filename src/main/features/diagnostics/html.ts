import type { ClientsAnalysis, DiagnosisReport, Finding, MemoryAnalysis, NodePerformance } from '../../../shared/model/diagnostics';
import { bytes } from './findings';

const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#1b1f24}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;margin:.5em 0}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
.f{border-left:5px solid #999;padding:.4em .8em;margin:.6em 0;background:#fafafa}.critical{border-color:#c62828}.warning{border-color:#ef8f00}.info{border-color:#1565c0}
.sev{font-weight:600;text-transform:uppercase;font-size:.8em}code,pre{font:12px ui-monospace,monospace;white-space:pre-wrap}`;

function finding(f: Finding): string {
  const evidence = f.evidence
    .map(
      (e) =>
        `<tr><td><code>${esc(e.command)}</code>${e.node ? ` @ ${esc(e.node)}` : ''}</td><td><code>${esc(
          Object.entries(e.figures)
            .map(([k, v]) => `${k}=${v}`)
            .join('  '),
        )}</code></td></tr>`,
    )
    .join('');
  return `<div class="f ${f.severity}"><span class="sev">${f.severity}</span> <b>${esc(f.title)}</b><p>${esc(f.detail)}</p><p><b>Do:</b> ${esc(f.recommendation)}</p><table>${evidence}</table></div>`;
}

/** Horizontal bars as inline SVG: the file must open anywhere, offline, with no script. */
function bars(rows: Array<{ label: string; value: number; text: string }>): string {
  if (rows.length === 0) return '';
  const max = Math.max(...rows.map((r) => r.value), 1);
  const h = 18;
  const body = rows
    .map(
      (r, i) =>
        `<text x="0" y="${i * h + 13}" font-size="11">${esc(r.label.slice(0, 40))}</text><rect x="260" y="${i * h + 3}" width="${Math.max(1, (r.value / max) * 560)}" height="${h - 6}" fill="#5c7cfa"/><text x="${266 + (r.value / max) * 560}" y="${i * h + 13}" font-size="11">${esc(r.text)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="960" height="${rows.length * h + 4}">${body}</svg>`;
}

function table(head: string[], rows: unknown[][]): string {
  return `<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</table>`;
}

export function renderHtml(r: DiagnosisReport): string {
  const parts: string[] = [
    `<h1>Swarmdeck diagnosis: ${esc(r.kind)} — ${esc(r.profileName)}</h1>`,
    `<p>${esc(r.target)} · ${esc(r.startedAt)} · ${r.durationMs} ms · ${r.counts.critical} critical, ${r.counts.warning} warning, ${r.counts.info} info</p>`,
    '<h2>Findings</h2>',
    r.findings.length ? r.findings.map(finding).join('') : '<p>No findings.</p>',
  ];
  if (r.connection)
    parts.push(
      '<h2>Connection steps</h2>',
      table(
        ['step', 'ok', 'ms', 'message', 'advice'],
        r.connection.steps.map((s) => [s.step, s.ok ? 'yes' : 'NO', s.ms, s.message, s.advice ?? '']),
      ),
    );
  if (r.performance) parts.push(...performanceSection(r.performance.nodes));
  if (r.memory) parts.push(...memorySection(r.memory));
  if (r.clients) parts.push(...clientsSection(r.clients));
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"><title>Swarmdeck ${esc(r.kind)} diagnosis</title><style>${CSS}</style></head><body>${parts.join('\n')}</body></html>`;
}

function performanceSection(nodes: NodePerformance[]): string[] {
  const parts: string[] = [];
  for (const n of nodes) {
    parts.push(
      `<h2>Node ${esc(n.node)} (${esc(n.role)})</h2>`,
      `<p>PING p50 ${n.ping.p50Ms} ms · p90 ${n.ping.p90Ms} ms · p99 ${n.ping.p99Ms} ms · max ${n.ping.maxMs} ms over ${n.ping.samples}</p>`,
    );
    parts.push(
      '<h3>Top commands by time</h3>',
      bars(n.topCommands.map((c) => ({ label: c.command, value: c.usec, text: `${c.usec} µs, ${c.calls} calls` }))),
    );
    if (n.slowlog.length)
      parts.push(
        '<h3>SLOWLOG</h3>',
        table(
          ['id', 'at', 'µs', 'command'],
          n.slowlog.map((e) => [e.id, new Date(e.at).toISOString(), e.durationUs, e.command]),
        ),
      );
    if (n.latencyDoctor) parts.push('<h3>LATENCY DOCTOR</h3>', `<pre>${esc(n.latencyDoctor)}</pre>`);
    parts.push(table(['figure', 'value'], Object.entries(n.figures)));
  }
  return parts;
}

function memorySection(m: MemoryAnalysis): string[] {
  const parts: string[] = [];
  parts.push(
    '<h2>Memory</h2>',
    `<p>${m.keysScanned} keys scanned on ${m.nodes.length} ${m.scannedFrom} at ${m.keysPerSecond} keys/s (budget ${m.opsPerSecondBudget} ops/s per node)${m.partial ? ' — PARTIAL' : ''}</p>`,
  );
  parts.push(
    '<h3>Namespaces by memory</h3>',
    bars(
      m.namespaces
        .slice(0, 25)
        .map((n) => ({ label: n.namespace, value: n.bytes, text: `${bytes(n.bytes)}, ${n.keys} keys, ${n.withoutTtl} without TTL` })),
    ),
  );
  parts.push(
    '<h3>Biggest key per type</h3>',
    table(
      ['type', 'by size', 'size', 'by memory', 'memory'],
      Object.keys(m.biggestBySize).map((t) => [
        t,
        m.biggestBySize[t]?.key,
        `${m.biggestBySize[t]?.size} ${m.biggestBySize[t]?.sizeUnit}`,
        m.biggestByMemory[t]?.key,
        bytes(m.biggestByMemory[t]?.memoryBytes ?? 0),
      ]),
    ),
  );
  parts.push('<h3>TTL distribution</h3>', bars(m.ttl.map((b) => ({ label: b.bucket, value: b.keys, text: String(b.keys) }))));
  return parts;
}

function clientsSection(clients: ClientsAnalysis): string[] {
  const parts: string[] = [];
  parts.push(
    '<h2>Clients</h2>',
    `<p>${clients.total} clients</p>`,
    table(
      ['name', 'clients', 'max idle s', 'output buffer', 'commands'],
      clients.byName.map((g) => [
        g.group,
        g.clients,
        g.maxIdleSeconds,
        bytes(g.outputBufferBytes),
        Object.entries(g.commands)
          .map(([c, n]) => `${c}×${n}`)
          .join(' '),
      ]),
    ),
  );
  parts.push(
    table(
      ['address', 'clients', 'max idle s', 'output buffer'],
      clients.byAddress.map((g) => [g.group, g.clients, g.maxIdleSeconds, bytes(g.outputBufferBytes)]),
    ),
  );
  return parts;
}
