import type { ViewerMessage } from '../../../../shared/contract/messaging';

/** Messages the viewer keeps on screen; older ones leave as new ones come. */
export const SHOWN = 500;

/**
 * Does a message match the operator's filter? Plain, case-insensitive text against the channel,
 * type, publisher, id and payload — never a regular expression built from what was typed.
 */
export function matchesFilter(message: ViewerMessage, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (needle === '') return true;
  const h = message.header;
  const fields = [message.channel, h?.type, h?.publisher, h?.id, message.payload, message.error?.message];
  return fields.some((f) => f !== undefined && f.toLowerCase().includes(needle));
}

/** Appends what arrived, keeping the newest {@link SHOWN}. */
export function appendMessages(shown: ViewerMessage[], arrived: ViewerMessage[]): ViewerMessage[] {
  if (arrived.length === 0) return shown;
  const next = [...shown, ...arrived];
  return next.length > SHOWN ? next.slice(next.length - SHOWN) : next;
}

/** The envelope's flags in words: how it travelled. */
export function flagsOf(message: ViewerMessage): string {
  const flags: string[] = [];
  if (message.compressed) flags.push('deflated');
  if (message.sealed) flags.push(`sealed (${message.header?.keyId ?? '?'})`);
  if (message.header?.replyTo) flags.push('request');
  if (message.header?.correlationId) flags.push('reply');
  return flags.join(' · ');
}
