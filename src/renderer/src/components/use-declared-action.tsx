import type { ReactNode } from 'react';
import type { OpInput, OpName } from '../../../shared/contract';
import type { DeclaredProfile } from '../../../shared/contract/op';
import { declaredGuard, type DeclaredDecision } from '../../../shared/declared-guard';
import { confirmationOf } from './declared-action';
import type { Notice } from './notice';
import { useConfirmedAction, type ConfirmRequest } from './use-confirmed-action';

/** What the caller says about one request; whether it is dangerous, one click or typed is the declaration's. */
export type DeclaredRequest<T> = Omit<ConfirmRequest<T>, 'danger' | 'immediate' | 'typed'>;

interface Options<N extends OpName, T> {
  /** The op's input for a payload, as dispatch will see it (without `confirm`). */
  inputOf(payload: T): OpInput<N>;
  perform(payload: T, confirm: string | undefined): Promise<string | undefined>;
  report(notice: Notice): void;
}

export interface DeclaredAction<T> {
  /** The decision dispatch will make for this payload: a button's refusal and the dialog come from it. */
  decide(payload: T): DeclaredDecision;
  ask(request: DeclaredRequest<T>): void;
  /** The dialog while a request waits for the operator; render it once. */
  dialog: ReactNode;
  busy: boolean;
}

/**
 * useConfirmedAction for one contract op: the op's declaration (declaredGuard) decides, for the
 * button and the dialog alike, so neither restates which guarded action it is or what is typed.
 */
export function useDeclaredAction<N extends OpName, T>(
  op: N,
  profile: DeclaredProfile,
  { inputOf, perform, report }: Options<N, T>,
): DeclaredAction<T> {
  const confirmed = useConfirmedAction<T>({ perform, report });
  const decide = (payload: T): DeclaredDecision => declaredGuard(op, inputOf(payload), profile);
  return {
    decide,
    ask: (request) => confirmed.ask({ ...request, ...confirmationOf(decide(request.payload)) }),
    dialog: confirmed.dialog,
    busy: confirmed.busy,
  };
}
