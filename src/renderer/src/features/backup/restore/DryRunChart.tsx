import { useMemo } from 'react';
import { useEChart } from '../../../components/use-echart';

export interface DryRunCounts {
  new: number;
  identical: number;
  different: number;
  onlyInTarget: number;
}

/** The four outcomes in the operator's words, each with the colour that says how much it changes. */
export const DRY_RUN_KINDS: { kind: keyof DryRunCounts; label: string; color: string; means: string }[] = [
  { kind: 'new', label: 'New', color: '#3fb950', means: 'in the backup, absent from the target: will be written' },
  { kind: 'identical', label: 'Identical', color: '#8b949e', means: 'same value in both: nothing changes' },
  { kind: 'different', label: 'Different', color: '#d29922', means: 'the target holds another value: the conflict policy decides' },
  { kind: 'onlyInTarget', label: 'Only in target', color: '#58a6ff', means: 'not in the backup: left as they are' },
];

/** One horizontal bar per outcome, so the scale of a restore is seen before it runs. */
export function DryRunChart({ counts }: { counts: DryRunCounts }) {
  const option = useMemo(() => {
    const rows = [...DRY_RUN_KINDS].reverse();
    return {
      animation: false,
      grid: { left: 110, right: 60, top: 8, bottom: 8 },
      tooltip: { trigger: 'item', backgroundColor: '#161b22', borderColor: '#30363d', textStyle: { color: '#c9d1d9', fontSize: 11 } },
      xAxis: { type: 'value', show: false },
      yAxis: {
        type: 'category',
        data: rows.map((r) => r.label),
        axisLine: { show: false },
        axisTick: { show: false },
        axisLabel: { color: '#c9d1d9', fontSize: 12 },
      },
      series: [
        {
          type: 'bar',
          barWidth: 18,
          data: rows.map((r) => ({ value: counts[r.kind], itemStyle: { color: r.color, borderRadius: [0, 4, 4, 0] } })),
          label: {
            show: true,
            position: 'right',
            color: '#c9d1d9',
            fontSize: 12,
            formatter: ({ value }: { value: number }) => new Intl.NumberFormat('en').format(value),
          },
          showBackground: true,
          backgroundStyle: { color: 'rgba(48,54,61,.35)', borderRadius: [0, 4, 4, 0] },
        },
      ],
    };
  }, [counts]);
  const ref = useEChart(option);
  return <div ref={ref} className="chart dry-run-chart" data-testid="dry-run-chart" role="img" aria-label="Dry run: keys by outcome" />;
}
