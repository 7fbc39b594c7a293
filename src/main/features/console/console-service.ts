import { SwarmdeckError } from '../../../shared/errors';
import type { ConsoleCatalogue, ConsoleExecResult, ConsoleKeysResult } from '../../../shared/model/console';
import { Owners, type Caller } from '../../owners';
import type { Session } from '../../redis/connection-manager';
import type { JobRegistry } from '../jobs/job-registry';
import { ConsoleCall, type ExecOptions } from './console-call';
import { ConsoleCatalogues } from './catalogues';
import { ConsoleHistory } from './history';
import { scanKeys, type KeysOptions } from './keys-scan';
import { planLine } from './line-plan';
import { ConsoleMonitors } from './monitor';
import { parseLines } from './parse';

/** The embedded Redis console: lines classed by the server's own command table, run where they belong. */
export class ConsoleService {
  private readonly catalogues: ConsoleCatalogues;
  readonly history: ConsoleHistory;
  readonly monitors: ConsoleMonitors;

  constructor(
    home: string,
    jobs: JobRegistry,
    private readonly owners = new Owners(),
  ) {
    this.catalogues = new ConsoleCatalogues(home);
    this.history = new ConsoleHistory(home);
    this.monitors = new ConsoleMonitors(jobs, owners);
  }

  /** The catalogue shipped with Swarmdeck, generated from a Redis 7 server's own replies. */
  snapshot(): ConsoleCatalogue {
    return this.catalogues.snapshot();
  }

  /** The connected server's own catalogue, read once per server version (memory, then a file in the home). */
  catalogue(session: Session): Promise<ConsoleCatalogue> {
    return this.catalogues.of(session);
  }

  /** Every line is planned (and refused, if it may not run) before the first is sent. */
  async exec(session: Session, options: ExecOptions, caller: Caller): Promise<ConsoleExecResult> {
    const lines = parseLines(options.line);
    if (lines.length === 0)
      throw new SwarmdeckError('VALIDATION', 'there is no command to run', { fields: [{ path: 'line', message: 'empty' }] });
    const catalogue = await this.catalogue(session);
    const plans = lines.map((parsed) => planLine(session, catalogue, parsed, options.confirm));
    return new ConsoleCall(session, options, caller, plans, this.history).run(this.owners);
  }

  /** What KEYS would list, by SCAN on every master (or one node), within a budget of keys looked at. */
  keys(session: Session, options: KeysOptions): Promise<ConsoleKeysResult> {
    return scanKeys(session, options);
  }
}
