const STATUS_CLASS: Record<string, string> = {
  running: 'tag-ok',
  paused: 'tag-warn',
  stopped: 'tag-bad',
  archived: 'tag-muted',
  stale: 'tag-warn',
};

export function StatusTag({ status }: { status: string }) {
  return <span className={`tag ${STATUS_CLASS[status] ?? 'tag-muted'}`}>{status}</span>;
}
