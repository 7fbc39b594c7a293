import { P, row, type KeyspaceArea } from '../../redis/keyspace-area';

export interface MessagingKeys {
  /** hash: route name → route JSON (hash tag `{msg}`, with the version, so one script changes both) */
  routes: string;
  /** string: the routes' version, incremented by every change */
  routesVersion: string;
  /** pub/sub channel: a route changed (payload: the new version) */
  routesWake: string;
}

export const messagingKeys = (prefix: string): MessagingKeys => ({
  routes: `${prefix}:{msg}:routes`,
  routesVersion: `${prefix}:{msg}:routes:version`,
  routesWake: `${prefix}:msg:routes:wake`,
});

/** pub/sub channel (or pattern) of a messaging channel name; on a cluster each channel is sharded by its own name */
export const messageChannel = (prefix: string, channel: string): string => `${prefix}:msg:c:${channel}`;
/** pub/sub channel: the one reply channel of a messaging client */
export const messageReplyChannel = (prefix: string, clientId: string): string => `${prefix}:msg:reply:${clientId}`;
/** hash: a route's rate-limit window for one source (`w` window index, `n` count; expires after two windows) */
export const messageRateKey = (prefix: string, route: string, source: string): string => `${prefix}:{mr:${route}}:rate:${source}`;
/** stream: a route's stream target, capped */
export const messageStreamKey = (prefix: string, name: string): string => `${prefix}:{ms:${name}}:stream`;

export const messagingKeyspace: KeyspaceArea = {
  feature: 'messaging',
  keys: [
    row('messagingKeys(P).routes', 'hash', () => messagingKeys(P).routes),
    row('messagingKeys(P).routesVersion', 'string', () => messagingKeys(P).routesVersion),
    row('messagingKeys(P).routesWake', 'pub/sub channel', () => messagingKeys(P).routesWake),
    row('messageChannel(P, C)', 'pub/sub channel', () => messageChannel(P, 'C')),
    row('messageReplyChannel(P, ID)', 'pub/sub channel', () => messageReplyChannel(P, 'ID')),
    row('messageRateKey(P, R, SRC)', 'hash', () => messageRateKey(P, 'R', 'SRC')),
    row('messageStreamKey(P, N)', 'stream', () => messageStreamKey(P, 'N')),
  ],
};
