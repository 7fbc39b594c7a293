import { create } from 'zustand';
import { transport } from '../transport';
import type { NotAuditedWarning } from '../transport/envelope';
import { withWarning, type AuditWarning } from './audit-warnings-model';

interface AuditWarningsState {
  warnings: AuditWarning[];
  add(warning: NotAuditedWarning): void;
  dismiss(id: number): void;
  dismissAll(): void;
}

let nextId = 1;

export const useAuditWarnings = create<AuditWarningsState>((set) => ({
  warnings: [],
  add(warning) {
    set((s) => ({ warnings: withWarning(s.warnings, { ...warning, id: nextId++, at: Date.now() }) }));
  },
  dismiss(id) {
    set((s) => ({ warnings: s.warnings.filter((w) => w.id !== id) }));
  },
  dismissAll() {
    set({ warnings: [] });
  },
}));

/** Every call of every page, whatever the transport: its "done, but not audited" becomes a warning. */
export function startAuditWarnings(): () => void {
  return transport.onNotAudited((warning) => useAuditWarnings.getState().add(warning));
}
