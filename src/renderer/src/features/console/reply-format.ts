import type { NodeReply, ReplyNode } from '../../../../shared/model/console';

/** One table row of a reply: its position, its key when the reply is a map or a field list, and the value. */
export interface ReplyRow {
  id: string;
  index: number;
  /** INFO section, for INFO-like text. */
  section?: string;
  key?: string;
  value: ReplyNode;
}

const INFO_LINE = /^([a-z_0-9]+):(.*)$/i;

/** INFO (and CLIENT INFO…) answer `field:value` lines in `# Section`s: split them so they read as a table. */
export function infoFields(text: string): { section: string; key: string; value: string }[] | undefined {
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  if (lines.length < 2) return undefined;
  const out: { section: string; key: string; value: string }[] = [];
  let section = '';
  for (const line of lines) {
    if (line.startsWith('#')) {
      section = line.replace(/^#\s*/, '');
      continue;
    }
    const m = INFO_LINE.exec(line);
    if (!m) return undefined;
    out.push({ section, key: m[1] as string, value: (m[2] as string).trim() });
  }
  return out.length ? out : undefined;
}

const str = (value: string): ReplyNode => ({ type: 'string', value, bytes: value.length });

export function replyRows(reply: ReplyNode): ReplyRow[] {
  switch (reply.type) {
    case 'array': {
      // Flat field/value lists (HGETALL on RESP2, CONFIG GET) read better as key → value.
      return reply.items.map((value, index) => ({ id: String(index), index, value }));
    }
    case 'map':
      return reply.entries.map((e, index) => ({ id: String(index), index, key: scalarText(e.key), value: e.value }));
    case 'string': {
      const info = infoFields(reply.value);
      if (info) return info.map((f, index) => ({ id: String(index), index, section: f.section, key: f.key, value: str(f.value) }));
      return [{ id: '0', index: 0, value: reply }];
    }
    default:
      return [{ id: '0', index: 0, value: reply }];
  }
}

/** A value on one line, as the table shows it; binary as redis-cli escapes it. */
export function scalarText(node: ReplyNode): string {
  switch (node.type) {
    case 'string':
      return node.value;
    case 'binary':
      return node.preview;
    case 'integer':
      return String(node.value);
    case 'nil':
      return '(nil)';
    case 'error':
      return `(error) ${node.message}`;
    case 'array':
      return `[${node.items.map(scalarText).join(', ')}${node.truncated ? ', …' : ''}]`;
    case 'map':
      return `{${node.entries.map((e) => `${scalarText(e.key)}: ${scalarText(e.value)}`).join(', ')}${node.truncated ? ', …' : ''}}`;
  }
}

/** The reply as plain JSON (binary values keep their hex, so nothing is lost). */
export function replyJson(node: ReplyNode): unknown {
  switch (node.type) {
    case 'string':
      return node.value;
    case 'binary':
      return { binary: node.hex, preview: node.preview };
    case 'integer':
      return node.value;
    case 'nil':
      return null;
    case 'error':
      return { error: node.message };
    case 'array':
      return node.items.map(replyJson);
    case 'map':
      return Object.fromEntries(node.entries.map((e) => [scalarText(e.key), replyJson(e.value)]));
  }
}

const quote = (s: string): string => JSON.stringify(s);

/** redis-cli's way of printing a reply: `1) "a"`, `(integer) 3`, `(nil)`, nested arrays indented. */
export function replyResp(node: ReplyNode, indent = 0): string {
  switch (node.type) {
    case 'string':
      return node.value.includes('\n') && indent === 0 ? node.value : quote(node.value);
    case 'binary':
      return `"${node.preview}"`;
    case 'integer':
      return `(integer) ${node.value}`;
    case 'nil':
      return '(nil)';
    case 'error':
      return `(error) ${node.message}`;
    case 'array':
    case 'map': {
      const items = node.type === 'array' ? node.items : node.entries.flatMap((e) => [e.key, e.value]);
      if (items.length === 0) return node.type === 'array' ? '(empty array)' : '(empty map)';
      const width = String(items.length).length;
      const pad = ' '.repeat(indent);
      const lines = items.map((item, i) => {
        const label = `${String(i + 1).padStart(width)}) `;
        const body = replyResp(item, indent + label.length);
        return `${i === 0 ? '' : pad}${label}${body}`;
      });
      if (node.truncated) lines.push(`${pad}… ${node.length - items.length} more`);
      return lines.join('\n');
    }
  }
}

/** How many values a reply holds at its top level (for "showing 1,000 of 250,000"). */
export function replySize(node: ReplyNode): { shown: number; total: number } {
  if (node.type === 'array') return { shown: node.items.length, total: node.length };
  if (node.type === 'map') return { shown: node.entries.length, total: node.length };
  return { shown: 1, total: 1 };
}

/**
 * A fan-out of INFO-like replies as one table: a row per field, a column per node, so six
 * nodes compare at a glance. Undefined when some node's reply is not field lines.
 */
export function fanOutFields(
  replies: readonly NodeReply[],
): { nodes: string[]; rows: { id: string; section: string; key: string; values: string[] }[] } | undefined {
  const parsed = replies.map((r) => (r.reply.type === 'string' ? infoFields(r.reply.value) : undefined));
  if (parsed.some((p) => p === undefined)) return undefined;
  const nodes = replies.map((r, i) => r.node ?? `node ${i + 1}`);
  const rows = new Map<string, { id: string; section: string; key: string; values: string[] }>();
  parsed.forEach((fields, column) => {
    for (const f of fields ?? []) {
      const id = `${f.section}/${f.key}`;
      const row = rows.get(id) ?? { id, section: f.section, key: f.key, values: nodes.map(() => '') };
      row.values[column] = f.value;
      rows.set(id, row);
    }
  });
  return { nodes, rows: [...rows.values()] };
}
