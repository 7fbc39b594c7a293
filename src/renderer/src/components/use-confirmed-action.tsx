import { useState, type ReactNode } from 'react';
import { ConfirmDialog } from './ConfirmDialog';
import { errorText, type Notice } from './notice';

export interface ConfirmRequest<T> {
  payload: T;
  title: string;
  body: string;
  confirmLabel: string;
  danger?: boolean;
  /** The caller judged this one safe: run it without a dialog. */
  immediate?: boolean;
  /** The text guard() asks the operator to type; sent along so main checks it too. */
  typed?: string;
}

interface Options<T> {
  /**
   * For callers whose requests do not carry guard()'s `typed` text: the name the operator must
   * type, or `undefined` for a plain confirmation.
   */
  typedName?(payload: T): string | undefined;
  /** Does the work; its text, if any, is reported as the outcome. */
  perform(payload: T, confirm: string | undefined): Promise<string | undefined>;
  report(notice: Notice): void;
}

export interface ConfirmedAction<T> {
  ask(request: ConfirmRequest<T>): void;
  /** The dialog while a request waits for the operator; render it once in the page. */
  dialog: ReactNode;
  /** A confirmed call is in flight. */
  busy: boolean;
}

/** One confirmed action's whole life: the dialog, the typed name on production, the call and its outcome. */
export function useConfirmedAction<T>({ typedName, perform, report }: Options<T>): ConfirmedAction<T> {
  const [pending, setPending] = useState<ConfirmRequest<T> | undefined>();
  const [busy, setBusy] = useState(false);

  const run = async (payload: T, confirm: string | undefined): Promise<void> => {
    setBusy(true);
    try {
      const text = await perform(payload, confirm);
      if (text !== undefined) report({ kind: 'ok', text });
    } catch (error) {
      report({ kind: 'error', text: errorText(error) });
    } finally {
      setBusy(false);
    }
  };

  const ask = (request: ConfirmRequest<T>): void => {
    if (request.immediate) void run(request.payload, undefined);
    else setPending(request);
  };

  const typed = pending ? (pending.typed ?? typedName?.(pending.payload)) : undefined;
  const dialog = pending ? (
    <ConfirmDialog
      title={pending.title}
      body={pending.body}
      confirmLabel={pending.confirmLabel}
      danger={pending.danger}
      typedConfirmation={typed}
      onCancel={() => setPending(undefined)}
      onConfirm={() => {
        setPending(undefined);
        void run(pending.payload, typed);
      }}
    />
  ) : null;
  return { ask, dialog, busy };
}
