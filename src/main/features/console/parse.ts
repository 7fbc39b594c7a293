import { SwarmdeckError } from '../../../shared/errors';

export interface ParsedLine {
  /** 1-based line number in the input. */
  lineNo: number;
  line: string;
  argv: Buffer[];
}

const ESCAPES: Readonly<Record<string, number>> = { n: 0x0a, r: 0x0d, t: 0x09, b: 0x08, a: 0x07, '"': 0x22, '\\': 0x5c };

const isHex = (c: string | undefined): c is string => c !== undefined && /^[0-9a-fA-F]$/.test(c);

function unbalanced(lineNo: number, column: number, quote: string): SwarmdeckError {
  return new SwarmdeckError(
    'VALIDATION',
    `line ${lineNo}, column ${column}: the ${quote === '"' ? 'double' : 'single'} quote opened here is never closed`,
    {
      fields: [{ path: 'line', message: `unbalanced quote at line ${lineNo}, column ${column}` }],
      line: lineNo,
      column,
    },
  );
}

/**
 * One line into argv the way redis-cli splits it (sdssplitargs): double quotes take `\n`, `\xHH`
 * and friends, single quotes only `\'`, and a closing quote must be followed by a space. Arguments
 * are bytes, since `\xff` is not UTF-8 and must reach Redis as the one byte the operator typed.
 */
export function parseLine(line: string, lineNo = 1): Buffer[] {
  const argv: Buffer[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i] as string)) i++;
    if (i >= line.length) break;
    const bytes: number[] = [];
    const push = (text: string): void => {
      for (const b of Buffer.from(text, 'utf8')) bytes.push(b);
    };
    let quote: string | undefined;
    let opened = 0;
    for (;;) {
      const c = line[i];
      if (quote === undefined) {
        if (c === undefined || /\s/.test(c)) break;
        if (c === '"' || c === "'") {
          quote = c;
          opened = i + 1;
          i++;
          continue;
        }
        push(c);
        i++;
        continue;
      }
      if (c === undefined) throw unbalanced(lineNo, opened, quote);
      if (quote === '"' && c === '\\' && line[i + 1] === 'x' && isHex(line[i + 2]) && isHex(line[i + 3])) {
        bytes.push(parseInt(line.slice(i + 2, i + 4), 16));
        i += 4;
      } else if (quote === '"' && c === '\\' && line[i + 1] !== undefined) {
        const next = line[i + 1] as string;
        const code = ESCAPES[next];
        if (code === undefined) push(next);
        else bytes.push(code);
        i += 2;
      } else if (quote === "'" && c === '\\' && line[i + 1] === "'") {
        bytes.push(0x27);
        i += 2;
      } else if (c === quote) {
        const after = line[i + 1];
        // redis-cli refuses `"a"b`: a closing quote must end the argument.
        if (after !== undefined && !/\s/.test(after)) {
          throw new SwarmdeckError('VALIDATION', `line ${lineNo}, column ${i + 2}: a closing quote must be followed by a space`, {
            fields: [{ path: 'line', message: `text right after a closing quote at line ${lineNo}, column ${i + 2}` }],
            line: lineNo,
            column: i + 2,
          });
        }
        i++;
        break;
      } else {
        push(c);
        i++;
      }
    }
    argv.push(Buffer.from(bytes));
  }
  return argv;
}

/** Several lines → several commands; blank lines and `#` comments are skipped. */
export function parseLines(text: string): ParsedLine[] {
  const out: ParsedLine[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const argv = parseLine(line, index + 1);
    if (argv.length > 0) out.push({ lineNo: index + 1, line, argv });
  });
  return out;
}
