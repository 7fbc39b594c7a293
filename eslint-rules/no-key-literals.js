/**
 * Key strings are built only in src/main/redis/keyspace.ts, so the keyspace, its hash tags
 * and docs/keyspace.md cannot drift apart: a key built by hand elsewhere lands in another slot
 * on Redis Cluster, or silently stops matching when the layout changes.
 *
 * Fails on a hash-tag literal (`{q:`, `{st:`, `{cfg}`), a claude-flow-novice `swarm:` key literal, and a
 * key prefix glued to more key text (`${prefix}:…`, `${keys.taskPrefix}${id}`, `prefix + id`).
 */
// Our hash tags: one to three letters and a colon ({q:, {st:, {mem:), or the one config tag {cfg}.
const HASH_TAG = /\{(?:[a-z]{1,3}:|cfg\})/;
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
    docs: { description: 'Redis key strings are built only by the builders of src/main/redis/keyspace.ts' },
    schema: [],
    messages: {
      hashTag: 'Hash tag "{{tag}}" outside the keyspace module: use a builder of src/main/redis/keyspace.ts.',
      cfnKey: 'claude-flow-novice key "{{text}}" outside the keyspace module: use claudeFlowNoviceKeys.',
      prefix: 'Key prefix "{{name}}" glued to key text by hand: add or use a builder in src/main/redis/keyspace.ts.',
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
