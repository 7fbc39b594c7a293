/**
 * Redis' crc64: the Jones polynomial, reflected, init 0, no final xor. Kept as two 32-bit
 * halves because a BigInt per byte would make exporting a multi-gigabyte file crawl.
 */
const CRC_LO = new Uint32Array(256);
const CRC_HI = new Uint32Array(256);
{
  const POLY = 0x95ac9329ac4bc9b5n;
  for (let i = 0; i < 256; i += 1) {
    let c = BigInt(i);
    for (let j = 0; j < 8; j += 1) c = c & 1n ? (c >> 1n) ^ POLY : c >> 1n;
    CRC_LO[i] = Number(c & 0xffffffffn);
    CRC_HI[i] = Number(c >> 32n);
  }
}

export class Crc64 {
  private lo = 0;
  private hi = 0;

  update(data: Buffer): this {
    let lo = this.lo;
    let hi = this.hi;
    for (let i = 0; i < data.length; i += 1) {
      const idx = (lo ^ (data[i] as number)) & 0xff;
      lo = ((CRC_LO[idx] as number) ^ ((lo >>> 8) | (hi << 24))) >>> 0;
      hi = ((CRC_HI[idx] as number) ^ (hi >>> 8)) >>> 0;
    }
    this.lo = lo;
    this.hi = hi;
    return this;
  }

  /** Little-endian, the byte order of both DUMP trailers and the RDB file's last 8 bytes. */
  digestLE(): Buffer {
    const b = Buffer.alloc(8);
    b.writeUInt32LE(this.lo, 0);
    b.writeUInt32LE(this.hi, 4);
    return b;
  }
}
