/**
 * A client of the web host as the page is one: the login URL's redirect carries the session in
 * its fragment (and sets the static cookie); a socket presents the session in its first frame.
 */
import WebSocket from 'ws';
import { isSessionMessage } from '../../src/shared/web-session';

export interface WebLogin {
  /** The session secret from the redirect's `#session=` fragment. */
  secret: string;
  /** `name=value` of the static cookie the redirect set. */
  cookie: string;
  location: string;
}

export async function login(loginUrl: string, headers: Record<string, string> = {}): Promise<WebLogin> {
  const res = await fetch(loginUrl, { redirect: 'manual', headers });
  const location = res.headers.get('location') ?? '';
  const secret = new URLSearchParams(location.split('#')[1] ?? '').get('session');
  if (res.status !== 303 || !secret) throw new Error(`login answered ${res.status} ${location}: ${await res.text()}`);
  return { secret, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] as string, location };
}

export interface Opened {
  ws: WebSocket;
  /** The fresh session the host answered the auth frame with. */
  session: { secret: string; expiresInMs: number };
}

/** Opens /ws, presents `secret` first, and waits for the host's answer: a session, or a close. */
export function openSession(
  port: number,
  secret: string,
  headers: Record<string, string> = { origin: `http://127.0.0.1:${port}` },
): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers });
    const onMessage = (data: WebSocket.RawData): void => {
      const message: unknown = JSON.parse(data.toString());
      if (!isSessionMessage(message)) return;
      ws.off('message', onMessage);
      resolve({ ws, session: message.session });
    };
    ws.on('message', onMessage);
    ws.once('open', () => ws.send(JSON.stringify({ auth: secret })));
    ws.once('close', (code, reason) => reject(new Error(`closed ${code} ${reason.toString()}`)));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

/** Opens /ws, sends `frames`, and returns how the host ended it (never a session, for a refusal). */
export function refusal(
  port: number,
  frames: string[],
  headers: Record<string, string> = { origin: `http://127.0.0.1:${port}` },
  query = '',
): Promise<{ code: number; reason: string; heard: string[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws${query}`, { headers });
    const heard: string[] = [];
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`the host neither answered nor closed; heard ${heard.join(' ')}`));
    }, 15_000);
    const end = (code: number, reason: string): void => {
      clearTimeout(timer);
      resolve({ code, reason, heard });
    };
    ws.on('message', (data) => heard.push(data.toString()));
    ws.once('open', () => {
      for (const frame of frames) ws.send(frame);
    });
    ws.once('close', (code, reason) => end(code, reason.toString()));
    ws.once('error', () => undefined);
    ws.once('unexpected-response', (_req, res) => {
      end(res.statusCode ?? 0, `HTTP ${res.statusCode}`);
      ws.terminate();
    });
  });
}
