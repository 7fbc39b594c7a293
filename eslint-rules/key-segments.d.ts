/** The head segments of the given key patterns (see key-segments.js), longest first. */
export function keySegments(keys: readonly string[]): string[];
