/**
 * The head segments of the keyspace's key patterns: the literal text a key begins with, or that
 * follows its prefix P. `P:audit` has `:audit`, `P:mem:spaces` has `:mem:spaces`,
 * `blocking:signal:<receiver>` has `blocking:signal:`, `swarms:active` is one segment whole.
 * A segment keeps the colon that joins it to a placeholder, which is what makes it key-shaped.
 *
 * What follows a hash tag (`:t:` of `P:{q:N}:t:<id>`) or an inner placeholder (`:agents` of
 * `swarm:<id>:agents`) is not a head: the tag or the head before it already marks that key, and
 * alone it is as common as text gets (`fd:${run}:t:` is a test's own data, not a Swarmdeck key).
 */

// A hash tag (`{q:N}`, `{cfg}`, the open `{m:*` of a glob) is matched by the tags themselves.
const HASH_TAG = /\{[^}]*(?:\}|$)/g;
// A placeholder part: the prefix P, a name in capitals (N, ID, SRC), `<id>`, a glob's `*`, a removed tag.
const PLACEHOLDER = /^(?:[A-Z]+|<[^>]*>|\*|)$/;

/** The head segment of one key pattern, with the colons that tie it to its placeholders, if it has one. */
function headOf(key) {
  const parts = key.replace(HASH_TAG, '').split(':');
  const start = parts[0] === 'P' ? 1 : 0;
  let end = start;
  while (end < parts.length && !PLACEHOLDER.test(parts[end])) end += 1;
  if (end === start) return undefined;
  const lead = start > 0 ? ':' : '';
  const trail = end < parts.length ? ':' : '';
  return `${lead}${parts.slice(start, end).join(':')}${trail}`;
}

/** Every head segment of the given key patterns, longest first so a match names the most of the key. */
export function keySegments(keys) {
  const segments = new Set(keys.map(headOf).filter((segment) => segment !== undefined));
  return [...segments].sort((a, b) => b.length - a.length || a.localeCompare(b));
}
