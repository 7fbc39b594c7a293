import { create } from 'zustand';

export const PAGES = ['connections', 'overview', 'swarms', 'tasks'] as const;
export type Page = (typeof PAGES)[number];

interface UiState {
  page: Page;
  go(page: Page): void;
}

export const useUi = create<UiState>((set) => ({
  page: 'connections',
  go(page) {
    set({ page });
  },
}));
