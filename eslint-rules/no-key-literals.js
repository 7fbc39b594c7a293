/**
 * Key strings are built only in the features' `src/main/features/<feature>/keys.ts`, composed
 * into the one keyspace (src/main/redis/keyspace.ts): a key built by hand elsewhere lands in
 * another slot on Redis Cluster, or silently stops matching when the layout changes.
 *
 * Fails on a literal of any hash tag the keyspace has (`{q:`, `{st:`, `{cfg}`, `{msg}`, …), on
 * the literal head of any key the keyspace lists (`:audit`, `:restore-lock`, `blocking:signal:`,
 * `swarms:active`, …; see key-segments.js) standing where a key has it, and on a key prefix
 * glued to more key text (`${prefix}:…`, `${keys.taskPrefix}${id}`, `prefix + id`).
 */
import { readFileSync } from 'node:fs';
import { keySegments } from './key-segments.js';

// The keyspace's own description (generated from the keys modules, which are TypeScript and
// cannot be imported here); test/unit/keyspace.test.ts fails while it is stale.
const keyspace = JSON.parse(readFileSync(new URL('./keyspace.generated.json', import.meta.url), 'utf8'));
const { tags } = keyspace;
if (!Array.isArray(tags) || tags.length === 0) throw new Error('eslint-rules/keyspace.generated.json lists no hash tag');
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const HASH_TAG = new RegExp(tags.map(escape).join('|'));
const SEGMENTS = keySegments(keyspace.areas.flatMap((area) => area.keys.map((row) => row.key)));
if (SEGMENTS.length === 0) throw new Error('eslint-rules/keyspace.generated.json lists no key');
const PREFIX_NAME = /prefix$/i;

// What the code puts in a key's place is joined into one text, an expression standing as HOLE:
// `${p}:audit` reads as HOLE + ':audit', `'{' + 'q:' + id + '}'` as '{q:' + HOLE + '}'.
const HOLE = '\u0000';
// A key's own characters: what a placeholder is filled with (`alpha`, `t-1`, `{q:x}`, a hole).
const KEY_CHAR = `[\\w.*\\-}${HOLE}]`;

/**
 * A segment matches only where a key has it, so prose ("Audit: 3 entries", "swarm: 3") and other
 * programs' keys (`node:events`, a test's `plan:leader`) pass: it begins the literal or follows a
 * hole (the prefix or key text put there by code); one that ends before a placeholder
 * (`blocking:signal:`) is followed by key text or nothing, one that ends the key (`:audit`,
 * `swarms:active`) ends the literal or meets a hole.
 */
function segmentPattern(segment) {
  const after = segment.endsWith(':') ? `(?=${KEY_CHAR}|$)` : `(?=${HOLE}|$)`;
  return `(?:^|(?<=${HOLE}))${escape(segment)}${after}`;
}
const KEY_SEGMENT = new RegExp(SEGMENTS.map(segmentPattern).join('|'));

/** The name an expression is known by: `prefix`, `keys.taskPrefix`, `this.prefix`, `profile['keyPrefix']`. */
function nameOf(node) {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') return node.property.name;
  if (node.type === 'MemberExpression' && node.computed && node.property.type === 'Literal') return String(node.property.value);
  return undefined;
}

const isPrefix = (node) => PREFIX_NAME.test(nameOf(node) ?? '');
const isConcat = (node) => node?.type === 'BinaryExpression' && node.operator === '+';

/** The text a string, a template or a `+` chain of them spells, each expression in it a HOLE. */
function textOf(node) {
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral') return node.quasis.map((quasi) => quasi.value.cooked ?? quasi.value.raw).join(HOLE);
  if (isConcat(node)) return textOf(node.left) + textOf(node.right);
  return HOLE;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: "Redis key strings are built only by the builders of the features' keys.ts" },
    schema: [],
    messages: {
      hashTag:
        'Hash tag "{{tag}}" outside the keys modules: use a builder of src/main/redis/keyspace.ts (or add one to the feature\'s keys.ts).',
      keySegment:
        'Key text "{{segment}}" outside the keys modules: use a builder of src/main/redis/keyspace.ts (or add one to the feature\'s keys.ts).',
      prefix:
        'Key prefix "{{name}}" glued to key text by hand: use a builder of src/main/redis/keyspace.ts (or add one to the feature\'s keys.ts).',
    },
  },
  create(context) {
    function checkText(node) {
      const text = textOf(node);
      const tag = HASH_TAG.exec(text);
      if (tag) return context.report({ node, messageId: 'hashTag', data: { tag: tag[0] } });
      const segment = KEY_SEGMENT.exec(text);
      if (segment) context.report({ node, messageId: 'keySegment', data: { segment: segment[0] } });
    }
    // A piece of a `+` chain is read with the whole chain, so `'{' + 'q:'` is one `{q:`.
    const inChain = (node) => isConcat(node.parent);
    return {
      Literal(node) {
        if (typeof node.value === 'string' && !inChain(node)) checkText(node);
      },
      TemplateLiteral(node) {
        if (!inChain(node)) checkText(node);
        node.expressions.forEach((expression, i) => {
          if (!isPrefix(expression)) return;
          const after = node.quasis[i + 1]?.value.cooked ?? '';
          const glued = after.startsWith(':') || (after === '' && i + 1 < node.expressions.length);
          if (glued) context.report({ node, messageId: 'prefix', data: { name: nameOf(expression) } });
        });
      },
      BinaryExpression(node) {
        if (!isConcat(node)) return;
        if (!inChain(node)) checkText(node);
        const side = [node.left, node.right].find(isPrefix);
        if (side) context.report({ node, messageId: 'prefix', data: { name: nameOf(side) } });
      },
    };
  },
};
