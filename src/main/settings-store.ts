import { join } from 'node:path';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../shared/model/health';
import { JsonFile } from './json-file';

interface SettingsDoc {
  version: 1;
  thresholds?: Thresholds;
}

/** Operator preferences that are not per profile. */
export class SettingsStore {
  private readonly file: JsonFile<SettingsDoc>;
  private cached?: Thresholds;

  constructor(home: string) {
    this.file = new JsonFile(join(home, 'settings.json'), () => ({ version: 1 }));
  }

  async thresholds(): Promise<Thresholds> {
    this.cached ??= { ...DEFAULT_THRESHOLDS, ...(await this.file.read()).thresholds };
    return this.cached;
  }

  async setThresholds(thresholds: Thresholds): Promise<Thresholds> {
    await this.file.update((doc) => {
      doc.thresholds = thresholds;
    });
    this.cached = thresholds;
    return thresholds;
  }
}
