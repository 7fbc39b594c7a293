import { create } from 'zustand';
import type { PageId } from './registry';

interface UiState {
  page: PageId;
  go(page: PageId): void;
}

export const useUi = create<UiState>((set) => ({
  page: 'connections',
  go(page) {
    set({ page });
  },
}));
