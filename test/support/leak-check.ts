/**
 * Files run one after another against one shared bed, and some tests assert that a whole
 * server did not change: that only holds if no file leaves anything running behind it. After
 * each file this fails that very file, naming what it left: a process it started (a child, or
 * a grandchild such as the command of a `lock exec`, found by a marker in its environment, so
 * a re-parented orphan is found too), or a socket, server or timer still open in this worker.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { relative } from 'node:path';
import { afterAll, expect } from 'vitest';
import { sleep } from './sleep';

const MARKER = 'SWARMDECK_TEST_FILE';
/**
 * What a file may not leave open in its worker (`process.getActiveResourcesInfo()` names). A
 * one-shot timer is not among them: ioredis leaves a command's timeout armed after the reply,
 * and such a timer fires once into nothing. What keeps acting — an interval — is tracked below.
 */
const WATCHED = new Set(['TCPSocketWrap', 'TCPServerWrap', 'PipeServerWrap', 'ProcessWrap']);
/** Closing a socket or killing a child completes a few ticks later: give it this long. */
const GRACE_MS = 3_000;

function counts(): Map<string, number> {
  const m = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) if (WATCHED.has(kind)) m.set(kind, (m.get(kind) ?? 0) + 1);
  return m;
}

function openResources(): string[] {
  const now = counts();
  const open = [...now]
    .filter(([kind, n]) => n > (baseline.get(kind) ?? 0))
    .map(([kind, n]) => `${n - (baseline.get(kind) ?? 0)} × ${kind}`);
  return [...open, ...(open.length > 0 ? peers() : []), ...runningIntervals()];
}

/** Where the open sockets lead: the port says which client of the test was left open. */
function peers(): string[] {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles
    .filter((h): h is Socket => h instanceof Socket && h.remotePort !== undefined)
    .map((s) => `a socket to ${s.remoteAddress ?? '?'}:${s.remotePort} from :${s.localPort}`);
}

/** Every live process (but this one) whose environment carries this file's marker. */
function processesStarted(): string[] {
  const wanted = `${MARKER}=${mark}\0`;
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'latin1').includes(wanted)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      // A zombie has exited; only its parent's bookkeeping is left.
      if (/^\d+ \(.*\) Z /.test(stat)) continue;
      found.push(`pid ${entry}: ${readFileSync(`/proc/${entry}/cmdline`, 'latin1').replaceAll('\0', ' ').trim().slice(0, 160)}`);
    } catch {
      // Gone between the listing and the read, or not ours to read.
    }
  }
  return found;
}

/** Every interval the file's code started and did not clear, with where it was started. */
const intervals = new Map<NodeJS.Timeout, string>();
const { setInterval: startInterval, clearInterval: stopInterval } = globalThis;
globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
  const handle = startInterval(...args);
  // A deep stack, so that an interval started on our behalf inside a library still shows our
  // frame; one with no frame of ours at all is the runner's own (vitest's) and is not counted.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const where = stack
    .split('\n')
    .slice(2)
    .find((line) => line.includes(process.cwd()) && !line.includes('node_modules'));
  if (where) intervals.set(handle, where.trim());
  return handle;
}) as typeof setInterval;
globalThis.clearInterval = ((handle?: NodeJS.Timeout | string | number) => {
  if (handle !== undefined && typeof handle === 'object') intervals.delete(handle);
  stopInterval(handle);
}) as typeof clearInterval;

function runningIntervals(): string[] {
  return [...intervals].filter(([handle]) => handle.hasRef()).map(([, where]) => `an interval started ${where}`);
}

// Set as the worker loads the file, before its describe blocks open anything or start a child.
const file = relative(process.cwd(), expect.getState().testPath ?? 'unknown file');
// The worker's pid too: another run of the same file (another checkout, another bed) is not ours.
const mark = `${file} ${process.pid}`;
process.env[MARKER] = mark;
const baseline = counts();

afterAll(async () => {
  const deadline = Date.now() + GRACE_MS;
  let processes = processesStarted();
  let resources = openResources();
  while ((processes.length > 0 || resources.length > 0) && Date.now() < deadline) {
    await sleep(50);
    processes = processesStarted();
    resources = openResources();
  }
  const leaks = [...processes.map((p) => `a process still running, ${p}`), ...resources.map((r) => `still open in the worker: ${r}`)];
  if (leaks.length > 0) {
    throw new Error(
      `${file} left behind what could act on the shared test bed after it:\n  ${leaks.join('\n  ')}\n` +
        'Close every client, server and timer a test opens, and wait for every process it starts to exit.',
    );
  }
}, GRACE_MS + 5_000);
