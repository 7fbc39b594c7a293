export interface Notice {
  kind: 'ok' | 'error';
  text: string;
}

/** What an operator reads of a failed call: the typed error's message, never a stack. */
export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function NoticeBar({ notice }: { notice: Notice | undefined }) {
  return notice ? (
    <div className={`notice notice-${notice.kind}`} role="status">
      {notice.text}
    </div>
  ) : null;
}
