import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Route, ViewerMessage } from '../../../shared/contract/messaging';
import { SwarmdeckError } from '../../../shared/errors';
import type { JobView } from '../../../shared/model/job';
import type { Session } from '../../redis/connection-manager';
import type { JobRegistry } from '../jobs/job-registry';
import type { Caller, Owners } from '../../owners';
import { refuseOpenToOthers } from '../../private-files';
import { decodeEnvelope, decodeHeader, Keyring } from './envelope';
import { Messaging, type RawMessage, type Subscription } from './messaging';
import { MessageRouter } from './router';

/** What the home's `messaging-keys.json` holds: the secret keys are derived from, and the key ids (the last is current). */
const KeysFileSchema = z.strictObject({
  secret: z.string().regex(/^[A-Za-z0-9+/]{22,}={0,2}$/, 'base64 of at least 16 bytes'),
  keys: z
    .array(z.string().regex(/^[A-Za-z0-9_.-]{1,32}$/))
    .min(1)
    .max(64),
});

export const KEYS_FILE = 'messaging-keys.json';
/** Messages a watch keeps for the viewer; older ones are dropped (and counted). */
const TAP_KEEP = 1000;
/** Watches kept after they end, so the viewer can still read their last messages. */
const TAPS_KEPT = 20;

interface Tap {
  messages: ViewerMessage[];
  seq: number;
  running: boolean;
}

/** What main shows of a message: opened when it can be, else its header and why not. */
export function viewMessage(
  seq: number,
  message: RawMessage,
  channelName: string,
  keyring: Keyring | undefined,
  now: number,
): ViewerMessage {
  const base: ViewerMessage = { seq, channel: channelName, receivedAt: now, size: message.data.length };
  let head: ReturnType<typeof decodeHeader>;
  try {
    head = decodeHeader(message.data);
  } catch (error) {
    return { ...base, error: payloadOf(error) };
  }
  const shown = { ...base, header: head.header, compressed: head.compressed, sealed: head.sealed };
  try {
    return { ...shown, payload: JSON.stringify(decodeEnvelope(message.data, keyring).payload, null, 2) };
  } catch (error) {
    return { ...shown, error: payloadOf(error) };
  }
}

function payloadOf(error: unknown): { code: string; message: string } {
  return error instanceof SwarmdeckError ? { code: error.code, message: error.message } : { code: 'INTERNAL', message: String(error) };
}

/** The messaging feature in main: live watches for the viewer, publishing and routes for the operator. */
export class MessagingService {
  private readonly taps = new Map<string, Tap>();

  constructor(
    private readonly home: string,
    private readonly jobs: JobRegistry,
    private readonly owners: Owners,
  ) {}

  /** The keyring from the Swarmdeck home, if one is there: the secret never leaves this process. */
  async keyring(): Promise<Keyring | undefined> {
    const path = join(this.home, KEYS_FILE);
    // Like secrets.json: a secret others could read is refused, not used as if it were still secret.
    await refuseOpenToOthers(path, 'the messaging secret');
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new SwarmdeckError('FILE_ERROR', `Cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`, {
        file: path,
      });
    }
    let parsed: z.output<typeof KeysFileSchema>;
    try {
      parsed = KeysFileSchema.parse(JSON.parse(text));
    } catch {
      // Never the parser's words: they would quote the secret.
      throw new SwarmdeckError(
        'CORRUPT_FILE',
        `${path} is not valid: { "secret": base64 of at least 16 bytes, "keys": [key ids, the last current] }`,
        { file: path },
      );
    }
    return new Keyring(Buffer.from(parsed.secret, 'base64'), parsed.keys);
  }

  /** An operator's message: JSON when the text parses as JSON, else the text as it is. */
  async publish(session: Session, channel: string, type: string, payload: string): Promise<{ id: string; receivers: number }> {
    let body: unknown = payload;
    try {
      body = JSON.parse(payload);
    } catch {
      // Not JSON: it is sent as the text it is.
    }
    const messaging = await this.messaging(session);
    try {
      return await messaging.publish(channel, type, body);
    } finally {
      await messaging.close();
    }
  }

  async routes(session: Session): Promise<{ version: number; routes: Route[] }> {
    return (await this.router(session)).list();
  }

  async setRoute(session: Session, route: Route): Promise<{ version: number }> {
    return (await this.router(session)).set(route);
  }

  async deleteRoute(session: Session, name: string): Promise<{ version: number; deleted: boolean }> {
    return (await this.router(session)).delete(name);
  }

  private async messaging(session: Session): Promise<Messaging> {
    return new Messaging(session.client, {
      prefix: session.profile.keyPrefix,
      publisher: `swarmdeck:${session.actor.user}@${session.actor.host}`,
      keyring: await this.keyring(),
    });
  }

  private async router(session: Session): Promise<MessageRouter> {
    return new MessageRouter(session.client, await this.messaging(session), { prefix: session.profile.keyPrefix });
  }

  /**
   * Subscribes on a connection of its own until the job is cancelled, or its caller goes (the
   * watch is held in the caller's name, within its cap); the viewer reads with {@link read}.
   */
  async watch(session: Session, source: { channel?: string; pattern?: string }, caller: Caller): Promise<JobView> {
    // Taken before the connection is opened: a refused watch costs the server nothing.
    const hold = this.owners.reserve(caller.owner, 'messages.watch', session.profile.id);
    let messaging: Messaging | undefined;
    let subscription: Subscription;
    const tap: Tap = { messages: [], seq: 0, running: true };
    const name = source.channel ?? (source.pattern as string);
    try {
      const opened = await this.messaging(session);
      messaging = opened;
      const prefixLength = opened.channel('').length;
      const handle = (message: RawMessage): void => {
        tap.seq += 1;
        tap.messages.push(viewMessage(tap.seq, message, message.channel.slice(prefixLength), opened.keyring, Date.now()));
        if (tap.messages.length > TAP_KEEP) tap.messages.splice(0, tap.messages.length - TAP_KEEP);
      };
      // Subscribing first makes a bad channel or a refused subscription the operator's error now, not a failed job later.
      subscription =
        source.channel !== undefined ? await opened.subscribeRaw(source.channel, handle) : await opened.psubscribeRaw(name, handle);
    } catch (error) {
      await messaging?.close().catch(() => undefined);
      hold.end();
      throw error;
    }
    const connection = messaging;
    const view = this.jobs.start({
      kind: 'messages.watch',
      profileId: session.profile.id,
      title: `Watching ${source.channel !== undefined ? 'channel' : 'pattern'} ${name}`,
      unit: 'messages',
      run: async ({ signal, progress }) => {
        const beat = setInterval(() => progress({ done: tap.seq }), 250);
        try {
          await new Promise<void>((resolve) =>
            signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true }),
          );
        } finally {
          clearInterval(beat);
          tap.running = false;
          await subscription.close().catch(() => undefined);
          await connection.close();
          hold.end();
        }
        return { received: tap.seq };
      },
    });
    // Its owner gone (a closed tab), the watch ends as a cancel would end it, connection and all.
    hold.onRelease(async () => {
      this.jobs.cancel(view.id);
      await this.jobs.settled(view.id);
    });
    this.taps.set(view.id, tap);
    for (const id of [...this.taps.keys()]) {
      if (this.taps.size <= TAPS_KEPT) break;
      if (!this.taps.get(id)?.running) this.taps.delete(id);
    }
    return view;
  }

  read(jobId: string, after = 0): { messages: ViewerMessage[]; dropped: number; running: boolean } {
    const tap = this.taps.get(jobId);
    if (!tap) throw new SwarmdeckError('NOT_FOUND', `No message watch "${jobId}" (it ended long ago or never started)`);
    const first = tap.messages[0]?.seq ?? tap.seq + 1;
    return { messages: tap.messages.filter((m) => m.seq > after), dropped: Math.max(0, first - after - 1), running: tap.running };
  }
}
