/**
 * Key strings are built only in the features' `src/main/features/<feature>/keys.ts`, composed
 * into the one keyspace (src/main/redis/keyspace.ts): a key built by hand elsewhere lands in
 * another slot on Redis Cluster, or silently stops matching when the layout changes.
 *
 * Fails on a literal of any hash tag the keyspace has (`{q:`, `{st:`, `{cfg}`, `{msg}`, …), a
 * claude-flow-novice `swarm:` key literal, and a key prefix glued to more key text
 * (`${prefix}:…`, `${keys.taskPrefix}${id}`, `prefix + id`).
 */
import { readFileSync } from 'node:fs';

// The tags come from the keyspace's own description (generated from the keys modules, which are
// TypeScript and cannot be imported here); test/unit/keyspace.test.ts fails while it is stale.
const { tags } = JSON.parse(readFileSync(new URL('./keyspace.generated.json', import.meta.url), 'utf8'));
if (!Array.isArray(tags) || tags.length === 0) throw new Error('eslint-rules/keyspace.generated.json lists no hash tag');
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const HASH_TAG = new RegExp(tags.map(escape).join('|'));
const CFN_KEY = /^swarm:/;
const PREFIX_NAME = /prefix$/i;

/** The name an expression is known by: `prefix`, `keys.taskPrefix`, `this.prefix`, `profile['keyPrefix']`. */
function nameOf(node) {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') return node.property.name;
  if (node.type === 'MemberExpression' && node.computed && node.property.type === 'Literal') return String(node.property.value);
  return undefined;
}

const isPrefix = (node) => PREFIX_NAME.test(nameOf(node) ?? '');

export default {
  meta: {
    type: 'problem',
    docs: { description: "Redis key strings are built only by the builders of the features' keys.ts" },
    schema: [],
    messages: {
      hashTag:
        'Hash tag "{{tag}}" outside the keys modules: use a builder of src/main/redis/keyspace.ts (or add one to the feature\'s keys.ts).',
      cfnKey: 'claude-flow-novice key "{{text}}" outside the keys modules: use claudeFlowNoviceKeys.',
      prefix:
        'Key prefix "{{name}}" glued to key text by hand: use a builder of src/main/redis/keyspace.ts (or add one to the feature\'s keys.ts).',
    },
  },
  create(context) {
    function checkText(node, text, atStart) {
      const tag = HASH_TAG.exec(text);
      if (tag) context.report({ node, messageId: 'hashTag', data: { tag: tag[0] } });
      else if (atStart && CFN_KEY.test(text)) context.report({ node, messageId: 'cfnKey', data: { text: text.slice(0, 40) } });
    }
    return {
      Literal(node) {
        if (typeof node.value === 'string') checkText(node, node.value, true);
      },
      TemplateLiteral(node) {
        node.quasis.forEach((quasi, i) => checkText(node, quasi.value.cooked ?? quasi.value.raw, i === 0));
        node.expressions.forEach((expression, i) => {
          if (!isPrefix(expression)) return;
          const after = node.quasis[i + 1]?.value.cooked ?? '';
          const glued = after.startsWith(':') || (after === '' && i + 1 < node.expressions.length);
          if (glued) context.report({ node, messageId: 'prefix', data: { name: nameOf(expression) } });
        });
      },
      BinaryExpression(node) {
        if (node.operator !== '+') return;
        const side = [node.left, node.right].find(isPrefix);
        if (side) context.report({ node, messageId: 'prefix', data: { name: nameOf(side) } });
      },
    };
  },
};
