import { SwarmdeckError } from '../../../shared/errors';
import { dispatchFor, inProcessClient } from '../../api';
import { defaultHome } from '../../home';
import { createServices } from '../../services';
import { UsageError } from './command';
import { COMMANDS } from './commands';
import { parse, type Context } from './context';

const USAGE = `usage: swarmdeck <command> [flags]

commands:
${COMMANDS.flatMap((c) => c.usage)
  .map((line) => `  ${line}`)
  .join('\n')}

connection flags (every command):
  --profile NAME          a saved profile
  --url redis://[user@]host:port[/db]    (rediss:// for TLS)
  --cluster host:port[,host:port…]
  --tls-ca FILE  --tls-cert FILE  --tls-key FILE  --insecure (turns verification off)
  --password-env VAR      read the password from this environment variable
  --prefix P              coordination key prefix (default sd)
  --json                  machine-readable output
  --home DIR              where profiles live (default $SWARMDECK_HOME or ~/.config/swarmdeck)`;

/** Injected at build time from package.json (see electron.vite.config.ts). */
declare const __SWARMDECK_VERSION__: string | undefined;
const VERSION = typeof __SWARMDECK_VERSION__ === 'string' ? __SWARMDECK_VERSION__ : 'dev';

function helpFor(word: string | undefined): string {
  const command = COMMANDS.find((c) => word !== undefined && c.words.includes(word));
  if (!command) return USAGE;
  return `usage:\n${command.usage.map((line) => `  swarmdeck ${line}`).join('\n')}\n\n${USAGE.slice(USAGE.indexOf('connection flags (every command)'))}`;
}

async function main(argv: string[]): Promise<number> {
  // Everything after `--` belongs to a command the CLI runs (`lock exec`), not to the CLI.
  const own = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  const json = own.includes('--json');
  const fail = (code: string, message: string, exit: number, details?: unknown): number => {
    process.stderr.write(
      json ? `${JSON.stringify({ error: { code, message, ...(details ? { details } : {}) } })}\n` : `swarmdeck: ${message}\n`,
    );
    return exit;
  };
  try {
    const { values, positionals } = parse(argv, COMMANDS);
    if (values.version) {
      process.stdout.write(`swarmdeck ${VERSION}\n`);
      return 0;
    }
    if (values.help || positionals[0] === 'help') {
      process.stdout.write(`${helpFor(positionals[0] === 'help' ? positionals[1] : positionals[0])}\n`);
      return 0;
    }
    const word = positionals[0];
    const command = COMMANDS.find((c) => word !== undefined && c.words.includes(word));
    if (!command) throw new UsageError(word ? `unknown command "${word}"` : 'no command given');
    const home = values.home ?? defaultHome();
    // The CLI runs the app's own services and reaches them only through the contract.
    const services = createServices({ home, env: process.env, host: 'cli' });
    // Done but not on file: stderr, so the output a script reads stays what it was, and the exit code 0.
    const notAudited = (op: string, message: string): void => {
      process.stderr.write(
        json ? `${JSON.stringify({ warning: { code: 'NOT_AUDITED', op, message } })}\n` : `swarmdeck: warning: ${message}\n`,
      );
    };
    const ctx: Context = { flags: values, home, services, api: inProcessClient(dispatchFor(services), { notAudited }) };
    try {
      const out = await command.run(positionals, ctx);
      if (json || out.text !== '') process.stdout.write(`${json ? JSON.stringify(out.json) : out.text}\n`);
      return out.exitCode ?? 0;
    } finally {
      await services.dispose();
    }
  } catch (error) {
    // A usage error is one line and a pointer to the help of the command that was meant.
    const hint = (): string => {
      const word = argv.find((a) => !a.startsWith('-'));
      return COMMANDS.some((c) => word !== undefined && c.words.includes(word)) ? `swarmdeck help ${word}` : 'swarmdeck --help';
    };
    if (error instanceof UsageError) return fail('USAGE', json ? error.message : `${error.message} (see "${hint()}")`, 2);
    // Input the operator typed that the contract refuses is a usage error too, with its fields.
    if (error instanceof SwarmdeckError && error.code === 'VALIDATION') return fail(error.code, error.message, 2, error.details);
    if (error instanceof SwarmdeckError) return fail(error.code, error.message, 1, error.details?.result);
    return fail('INTERNAL', error instanceof Error ? error.message : String(error), 1);
  }
}

const code = await main(process.argv.slice(2));
// ioredis keeps a 2 s timer after a refused connection; once the output is flushed there is nothing left to wait for.
const flushed = (stream: NodeJS.WriteStream): Promise<void> => new Promise((resolve) => stream.write('', () => resolve()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
