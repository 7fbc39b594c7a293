import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { familiesOf, metricName, render } from '../../src/main/features/analytics/prometheus';

describe('Prometheus text format', () => {
  it('escapes label values a maintained parser reads back exactly', () => {
    const name = 'weird "swarm" \\ with\nnewline';
    const text = render(
      familiesOf({
        swarms: {
          claudeFlowNovice: false,
          swarms: [
            {
              id: 's1',
              name,
              source: 'swarmdeck',
              status: 'active',
              topology: 'mesh',
              strategy: 'balanced',
              agents: 3,
              liveAgents: 2,
              lastActivity: 0,
              findings: 0,
            },
          ],
        },
        series: [
          {
            series: 'agent.tokens-used',
            tags: { agent: 'a1' },
            bucket: { start: 0, count: 2, sum: 3, min: 1, max: 2, avg: 1.5, p50: 1, p95: 2, p99: 2 },
          },
        ],
      }),
    );
    expect(text).toMatch(/^# HELP swarmdeck_swarm_agents /m);
    expect(text).toMatch(/^# TYPE swarmdeck_swarm_agents gauge$/m);
    const parsed = parsePrometheusTextFormat(text);
    const agents = parsed.find((f) => f.name === 'swarmdeck_swarm_agents');
    expect(agents?.metrics).toEqual([{ labels: { swarm: 's1', name, status: 'active' }, value: '3' }]);
    const series = parsed.find((f) => f.name === metricName('swarmdeck_series_agent.tokens-used'));
    expect(series?.name).toBe('swarmdeck_series_agent_tokens_used');
    expect(series?.metrics.find((m) => 'labels' in m && m.labels?.stat === 'avg')).toEqual({
      labels: { agent: 'a1', series: 'agent.tokens-used', stat: 'avg' },
      value: '1.5',
    });
  });
});

describe('recorded series that collide once named for Prometheus', () => {
  it('keep one family per metric name and distinct label sets, even for a tag named stat', () => {
    const bucket = { start: 0, count: 1, sum: 2, min: 2, max: 2, avg: 2, p50: 2, p95: 2, p99: 2 };
    const text = render(
      familiesOf({
        series: [
          { series: 'agent.x', tags: { stat: 'weird' }, bucket },
          { series: 'agent_x', tags: {}, bucket: { ...bucket, avg: 3 } },
        ],
      }),
    );
    expect(text.match(/^# TYPE swarmdeck_series_agent_x /gm)).toHaveLength(1);
    const family = parsePrometheusTextFormat(text).find((f) => f.name === 'swarmdeck_series_agent_x');
    const keys = (family?.metrics ?? []).map((m) => JSON.stringify(m.labels));
    expect(new Set(keys).size).toBe(keys.length);
    expect(family?.metrics.find((m) => m.labels?.series === 'agent_x' && m.labels.stat === 'avg')?.value).toBe('3');
    expect(family?.metrics.find((m) => m.labels?.series === 'agent.x' && m.labels.stat === 'avg')?.labels?.tag_stat).toBe('weird');
  });
});
