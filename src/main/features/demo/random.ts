export const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
export const between = (lo: number, hi: number): number => lo + Math.random() * (hi - lo);
