import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_THRESHOLDS, ThresholdsSchema, type Thresholds } from '../shared/model/health';
import { homeLock } from './home';
import { JsonFile } from './json-file';

// Loose, so keys written by a newer version survive a write by this one.
const SettingsDocSchema = z.looseObject({
  version: z.literal(1),
  thresholds: ThresholdsSchema.optional(),
});
type SettingsDoc = z.infer<typeof SettingsDocSchema>;

/** Operator preferences that are not per profile. */
export class SettingsStore {
  private readonly file: JsonFile<SettingsDoc>;
  private cached?: Thresholds;

  constructor(home: string) {
    this.file = new JsonFile(join(home, 'settings.json'), SettingsDocSchema, () => ({ version: 1 }), homeLock(home));
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
