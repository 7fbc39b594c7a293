// The console's Monaco setup (editor API, theme, features) plus the JSON language and its
// worker, which validates against the scopes' JSON Schemas and completes their fields.
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import { CONFIG_SCOPES, configJsonSchema } from '../../../../shared/model/config';
import { monaco } from '../console/monaco';

// Both workers are bundled and started from our own origin (the CSP allows 'self' and blob:).
self.MonacoEnvironment = { getWorker: (_id: string, label: string) => (label === 'json' ? new JsonWorker() : new EditorWorker()) };

/** The model URI of one scope's editor: each schema applies to its own scope's document only. */
export const scopeUri = (scope: string): monaco.Uri => monaco.Uri.parse(`swarmdeck://config/${scope}.json`);

jsonDefaults.setDiagnosticsOptions({
  validate: true,
  allowComments: false,
  enableSchemaRequest: false,
  schemaValidation: 'error',
  schemas: CONFIG_SCOPES.map((scope) => ({
    uri: `swarmdeck://schema/${scope}.json`,
    fileMatch: [scopeUri(scope).toString()],
    schema: configJsonSchema(scope),
  })),
});

export { monaco };
