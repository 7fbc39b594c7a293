/**
 * LZF decompression (liblzf's format, as Redis writes compressed strings). Only keys and aux
 * fields are ever decompressed: values travel compressed inside their DUMP payload.
 * Null when the input does not decode to exactly `length` bytes.
 */
export function lzfDecompress(input: Buffer, length: number): Buffer | null {
  const out = Buffer.allocUnsafe(length);
  let ip = 0;
  let op = 0;
  while (ip < input.length) {
    const ctrl = input[ip++] as number;
    if (ctrl < 32) {
      const run = ctrl + 1;
      if (op + run > length || ip + run > input.length) return null;
      input.copy(out, op, ip, ip + run);
      ip += run;
      op += run;
      continue;
    }
    let len = ctrl >> 5;
    if (len === 7) {
      if (ip >= input.length) return null;
      len += input[ip++] as number;
    }
    if (ip >= input.length) return null;
    const ref = op - ((ctrl & 0x1f) << 8) - (input[ip++] as number) - 1;
    len += 2;
    if (ref < 0 || op + len > length) return null;
    // Back references may overlap what they write: byte by byte, as liblzf does.
    for (let i = 0; i < len; i += 1) out[op++] = out[ref + i] as number;
  }
  return op === length ? out : null;
}
