import { describe, expect, it } from 'vitest';
import { createDispatch, type Handlers } from '../../src/main/api/dispatch';
import { inProcessClient } from '../../src/main/api/client';
import type { Envelope } from '../../src/shared/contract';
import type { PreloadApi } from '../../src/preload/api';
import { shownWarnings, withWarning, type AuditWarning } from '../../src/renderer/src/app/audit-warnings-model';
import type { NotAuditedWarning } from '../../src/renderer/src/transport/envelope';
import { IpcTransport } from '../../src/renderer/src/transport/ipc-transport';
import { SESSION_KEY, WebSocketTransport, type SocketHandlers } from '../../src/renderer/src/transport/ws-transport';

const WHY = 'state.set on plan was done but not written to the audit stream: WRONGTYPE';
const done: Envelope = { ok: true, result: { version: 3 }, notAudited: WHY };

/** A socket that opens at once and answers each call with `answer`, as the web host frames it. */
function fakeSocket(answer: Envelope) {
  let handlers: SocketHandlers | undefined;
  const open = (_url: string, h: SocketHandlers) => {
    handlers = h;
    queueMicrotask(() => h.open());
    return {
      send(data: string) {
        const frame = JSON.parse(data) as { id?: number };
        if (typeof frame.id === 'number') {
          const id = frame.id;
          queueMicrotask(() => handlers?.message(JSON.stringify({ id, envelope: answer })));
        }
      },
      close: () => undefined,
    };
  };
  const memory = new Map([[SESSION_KEY, 'secret']]);
  const store = {
    getItem: (k: string) => memory.get(k) ?? null,
    setItem: (k: string, v: string) => void memory.set(k, v),
    removeItem: (k: string) => void memory.delete(k),
  };
  return { open, store };
}

describe('"done, but not audited" reaches the operator', () => {
  it('the WebSocket transport resolves the call and tells its listeners, naming the op', async () => {
    const transport = new WebSocketTransport('ws://host/ws', fakeSocket(done));
    const heard: NotAuditedWarning[] = [];
    const stop = transport.onNotAudited((w) => heard.push(w));
    await expect(transport.call('state.set', { profileId: 'p', key: 'plan', value: '1' })).resolves.toEqual({ version: 3 });
    expect(heard).toEqual([{ op: 'state.set', message: WHY }]);
    stop();
    await transport.call('state.set', { profileId: 'p', key: 'plan', value: '2' });
    expect(heard).toHaveLength(1);
    transport.close();
  });

  it('a listener that throws does not turn the done action into a failure', async () => {
    const transport = new WebSocketTransport('ws://host/ws', fakeSocket(done));
    transport.onNotAudited(() => {
      throw new Error('listener bug');
    });
    const quiet = console.error;
    console.error = () => undefined;
    try {
      await expect(transport.call('state.set', { profileId: 'p', key: 'plan', value: '1' })).resolves.toEqual({ version: 3 });
    } finally {
      console.error = quiet;
      transport.close();
    }
  });

  it('the IPC transport does the same with what the preload hands over', async () => {
    const api = { ops: new Proxy({}, { get: () => () => Promise.resolve(done) }), onEvent: () => () => undefined } as unknown as PreloadApi;
    const transport = new IpcTransport(api);
    const heard: NotAuditedWarning[] = [];
    transport.onNotAudited((w) => heard.push(w));
    await expect(transport.call('memory.delete', { profileId: 'p', namespace: 'n', key: 'k' })).resolves.toEqual({ version: 3 });
    expect(heard).toEqual([{ op: 'memory.delete', message: WHY }]);
  });

  it('a failed call stays a typed error, and an audited one warns nobody', async () => {
    const failed = new WebSocketTransport('ws://host/ws', fakeSocket({ ok: false, error: { code: 'READ_ONLY', message: 'no' } }));
    const fine = new WebSocketTransport('ws://host/ws', fakeSocket({ ok: true, result: 1 }));
    const heard: NotAuditedWarning[] = [];
    failed.onNotAudited((w) => heard.push(w));
    fine.onNotAudited((w) => heard.push(w));
    await expect(failed.call('app.info', {})).rejects.toMatchObject({ code: 'READ_ONLY' });
    await expect(fine.call('app.info', {})).resolves.toBe(1);
    expect(heard).toEqual([]);
    failed.close();
    fine.close();
  });

  it("the in-process client (the CLI's) returns the result and hands the warning to its host", async () => {
    const handlers = new Proxy({} as Handlers, { get: () => () => Promise.resolve({ version: 7 }) });
    const dispatch = createDispatch(handlers, {
      profile: (id) => Promise.resolve({ id, name: 'dev', environment: 'development', readOnly: false }),
      audit: () =>
        Promise.reject(
          Object.assign(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'), { name: 'ReplyError' }),
        ),
    });
    const heard: [string, string][] = [];
    const api = inProcessClient(dispatch, { notAudited: (op, message) => heard.push([op, message]) });
    await expect(api.call('state.set', { profileId: 'p', key: 'plan', value: '1' })).resolves.toEqual({ version: 7 });
    expect(heard).toEqual([
      ['state.set', expect.stringMatching(/^state\.set on plan was done but not written to the audit stream: .*WRONGTYPE/)],
    ]);
    // Without a listener (tests), the result is the same.
    await expect(inProcessClient(dispatch).call('state.set', { profileId: 'p', key: 'plan', value: '1' })).resolves.toEqual({ version: 7 });
  });
});

describe('the warning stack', () => {
  const w = (id: number): AuditWarning => ({ id, at: id, op: 'state.set', message: `m${id}` });

  it('keeps the newest first, at most 20, and shows four with a count of the rest', () => {
    let list: AuditWarning[] = [];
    for (let i = 1; i <= 25; i += 1) list = withWarning(list, w(i));
    expect(list).toHaveLength(20);
    expect(list[0]?.id).toBe(25);
    const { shown, more } = shownWarnings(list);
    expect(shown.map((x) => x.id)).toEqual([25, 24, 23, 22]);
    expect(more).toBe(16);
    expect(shownWarnings([w(1)])).toEqual({ shown: [w(1)], more: 0 });
  });
});
