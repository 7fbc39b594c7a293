/**
 * The replication socket read as a replica reads it: reply lines during the handshake, then
 * the raw bytes that follow, with the bytes already received handed on first. Reading is
 * pull-based, so a slow consumer pauses the socket (and, through TCP, the master's sender).
 */
import { SwarmdeckError } from '../../../shared/errors';

/** Longer than any handshake line (+FULLRESYNC, an error): a master that sends more is not one. */
const MAX_LINE_BYTES = 64 * 1024;

export class ReplyReader {
  private held: Buffer = Buffer.alloc(0);

  constructor(
    private readonly chunks: AsyncIterator<Buffer>,
    private readonly where: string,
  ) {}

  private async more(): Promise<void> {
    const next = await this.chunks.next();
    if (next.done) throw new SwarmdeckError('DISCONNECTED', `${this.where} closed the replication connection`, { address: this.where });
    this.held = this.held.length === 0 ? next.value : Buffer.concat([this.held, next.value]);
  }

  /**
   * One line without its CRLF. Bare newlines before it are the master's keepalives while it
   * prepares the snapshot: they are skipped.
   */
  async line(): Promise<string> {
    for (;;) {
      let start = 0;
      while (start < this.held.length && this.held[start] === 0x0a) start += 1;
      const end = this.held.indexOf('\r\n', start, 'latin1');
      if (end >= 0) {
        const text = this.held.subarray(start, end).toString('latin1');
        this.held = this.held.subarray(end + 2);
        return text;
      }
      this.held = this.held.subarray(start);
      if (this.held.length > MAX_LINE_BYTES) {
        throw new SwarmdeckError('NOT_REDIS', `${this.where} sent a reply line longer than ${MAX_LINE_BYTES} bytes`, {
          address: this.where,
        });
      }
      await this.more();
    }
  }

  /** Everything after the last line read, as it arrives. */
  async *rest(): AsyncGenerator<Buffer> {
    if (this.held.length > 0) {
      const first = this.held;
      this.held = Buffer.alloc(0);
      yield first;
    }
    for (;;) {
      const next = await this.chunks.next();
      if (next.done) return;
      yield next.value;
    }
  }
}
