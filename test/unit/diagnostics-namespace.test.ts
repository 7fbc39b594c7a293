import { describe, expect, it } from 'vitest';
import { namespaceOf } from '../../src/main/features/diagnostics/memory-tally';
import { queueKeys } from '../../src/main/redis/keyspace';

const orders = queueKeys('sd', 'orders');

describe('memory namespaces', () => {
  it.each([
    ['agent:543:memory', 'agent:*'],
    ['agent:0f3a9c2e77:memory', 'agent:*'],
    ['session:8c1f2a4e-7b3d-4a9e-9f00-1c2d3e4f5a6b:data', 'session:*'],
    ['sess:user:42', 'sess:user:*'],
    // A hash-tagged key keeps its tag whole: every key of one queue is one namespace.
    [orders.task('17'), `${orders.wait.slice(0, orders.wait.lastIndexOf(':'))}:*`],
    ['plain', '(no namespace)'],
  ])('%s counts in %s', (key, namespace) => {
    expect(namespaceOf(key)).toBe(namespace);
  });
});
