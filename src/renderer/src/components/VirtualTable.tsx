import { useMemo, useState, type ReactNode } from 'react';

export interface Column<T> {
  key: string;
  label: string;
  /** A CSS grid track, e.g. `120px` or `2fr`. */
  width: string;
  render(row: T): ReactNode;
  /** Present when the column sorts; ascending order. */
  compare?(a: T, b: T): number;
  className?: string;
}

interface Props<T> {
  rows: readonly T[];
  columns: Column<T>[];
  rowKey(row: T): string;
  /** Height of the scrolling body in pixels. */
  height: number;
  rowHeight?: number;
  initialSort?: { key: string; descending?: boolean };
  selectedKey?: string;
  onRowClick?(row: T): void;
  empty?: string;
  label: string;
  testId?: string;
  rowClass?(row: T): string;
}

const OVERSCAN = 8;

/** A sortable table that renders only the rows in view, so thousands of rows stay smooth. */
export function VirtualTable<T>({
  rows,
  columns,
  rowKey,
  height,
  rowHeight = 30,
  initialSort,
  selectedKey,
  onRowClick,
  empty,
  label,
  testId,
  rowClass,
}: Props<T>) {
  const [sort, setSort] = useState(initialSort);
  const [top, setTop] = useState(0);
  const sorted = useMemo(() => {
    const column = columns.find((c) => c.key === sort?.key);
    if (!column?.compare) return rows;
    const order = sort?.descending ? -1 : 1;
    return [...rows].sort((a, b) => order * (column.compare as (x: T, y: T) => number)(a, b));
  }, [rows, columns, sort]);
  const template = columns.map((c) => c.width).join(' ');
  const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
  const last = Math.min(sorted.length, Math.ceil((top + height) / rowHeight) + OVERSCAN);
  const toggle = (key: string): void => setSort((s) => (s?.key === key ? { key, descending: !s.descending } : { key, descending: false }));

  return (
    <div className="vtable" role="table" aria-label={label} aria-rowcount={sorted.length} data-testid={testId}>
      <div className="vtable-head" role="row" style={{ gridTemplateColumns: template }}>
        {columns.map((c) => (
          <div
            key={c.key}
            role="columnheader"
            aria-sort={sort?.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
            className={c.compare ? 'sortable' : ''}
          >
            {c.compare ? (
              <button type="button" onClick={() => toggle(c.key)}>
                {c.label} {sort?.key === c.key ? (sort.descending ? '▾' : '▴') : ''}
              </button>
            ) : (
              c.label
            )}
          </div>
        ))}
      </div>
      <div className="vtable-body" style={{ height }} onScroll={(e) => setTop(e.currentTarget.scrollTop)}>
        {sorted.length === 0 && <p className="muted vtable-empty">{empty ?? 'Nothing to show.'}</p>}
        <div style={{ height: sorted.length * rowHeight, position: 'relative' }}>
          {sorted.slice(first, last).map((row, i) => {
            const key = rowKey(row);
            return (
              <div
                key={key}
                role="row"
                aria-rowindex={first + i + 1}
                className={`vtable-row${key === selectedKey ? ' selected' : ''}${onRowClick ? ' clickable' : ''} ${rowClass?.(row) ?? ''}`}
                style={{ gridTemplateColumns: template, height: rowHeight, transform: `translateY(${(first + i) * rowHeight}px)` }}
                onClick={onRowClick ? () => onRowClick(row) : undefined}
                data-key={key}
              >
                {columns.map((c) => (
                  <div key={c.key} role="cell" className={c.className}>
                    {c.render(row)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
