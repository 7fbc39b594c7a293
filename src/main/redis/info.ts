/** Parses the `key:value` lines of INFO and CLUSTER INFO replies. */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) out[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return out;
}

/** `CLIENT LIST` lines → one record per client. */
export function parseClientList(text: string): Array<Record<string, string>> {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const out: Record<string, string> = {};
      for (const pair of line.split(' ')) {
        const eq = pair.indexOf('=');
        if (eq > 0) out[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      return out;
    });
}

export interface ClusterNodeLine {
  id: string;
  /** `host:port` as the node announces it. */
  address: string;
  flags: string[];
  masterId?: string;
  linkState: string;
  slots: string[];
}

/** Parses CLUSTER NODES: one line per node, slot ranges from the ninth field on. */
export function parseClusterNodes(text: string): ClusterNodeLine[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [id = '', addr = '', flags = '', master = '-', , , , linkState = '', ...slots] = line.split(' ');
      return {
        id,
        address: addr.split('@')[0] ?? addr,
        flags: flags.split(','),
        masterId: master === '-' ? undefined : master,
        linkState,
        // Importing/migrating markers look like [123->-id]; they are not owned ranges.
        slots: slots.filter((s) => !s.startsWith('[')),
      };
    });
}

export function countSlots(ranges: string[]): number {
  return ranges.reduce((sum, range) => {
    const [from, to] = range.split('-').map(Number);
    return sum + (to === undefined ? 1 : (to as number) - (from as number) + 1);
  }, 0);
}

/** A numeric field of a reply or hash that may be missing or empty. */
export const optionalNumber = (v: string | undefined): number | undefined => (v === undefined || v === '' ? undefined : Number(v));
