import { Redis } from 'ioredis';
import type { Command } from 'ioredis';

/**
 * ioredis 5 writes any command flagged `loading` straight to a socket that is still in its
 * handshake (status `connect`: CLIENT SETNAME/SETINFO, then the INFO ready check). SUBSCRIBE
 * and its family carry that flag, so a subscription made at that moment puts the connection
 * in subscriber mode before INFO is sent; ioredis then refuses its own ready check
 * ("Connection in subscriber mode, only subscriber commands may be used"), tears the
 * connection down, and the subscription may hear nothing (ioredis issue #2037). ioredis 6
 * holds such commands until the handshake is over; 6.x also negotiates RESP3, which the
 * read-only guard and our reply handling do not speak, so this gate does the same on 5.x.
 *
 * It sits on the prototype because the connections that race are not only ours: a Cluster
 * opens its own subscriber connection for SUBSCRIBE/PSUBSCRIBE inside ioredis.
 */
const SUBSCRIBE_FAMILY: ReadonlySet<string> = new Set([
  'subscribe',
  'psubscribe',
  'ssubscribe',
  'unsubscribe',
  'punsubscribe',
  'sunsubscribe',
]);

type SendCommand = (this: Redis, command: Command, stream?: unknown) => unknown;

/** Commands held per connection until its ready check passes, in the order they were made. */
const held = new WeakMap<Redis, Command[]>();

let installed = false;

export function installSubscribeGate(): void {
  if (installed) return;
  installed = true;
  const proto = Redis.prototype as unknown as { sendCommand: SendCommand };
  const send = proto.sendCommand;
  proto.sendCommand = function gatedSendCommand(this: Redis, command: Command, stream?: unknown): unknown {
    if (stream !== undefined || this.status !== 'connect' || !SUBSCRIBE_FAMILY.has(command.name.toLowerCase()))
      return send.call(this, command, stream);
    const queue = held.get(this);
    if (queue) {
      queue.push(command);
      return command.promise;
    }
    const commands = [command];
    held.set(this, commands);
    // ioredis emits `ready` on the next tick, after its own resubscription and offline queue;
    // if the client ends first, the held commands are refused like any other.
    const onReady = (): void => {
      this.off('end', onEnd);
      held.delete(this);
      for (const c of commands) void send.call(this, c);
    };
    const onEnd = (): void => {
      this.off('ready', onReady);
      held.delete(this);
      for (const c of commands) c.reject(new Error('Connection is closed.'));
    };
    this.once('ready', onReady);
    this.once('end', onEnd);
    return command.promise;
  };
}
