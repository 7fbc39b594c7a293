// The editor API alone, plus the few contributions the console uses: the package root would
// register every language Monaco ships (a 9 MB bundle) for an editor that only speaks Redis.
import * as monaco from 'monaco-editor/editor/editor.api';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/suggest/register';
// The suggest feature above registers inline completions only; the widget is this contribution.
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/parameterHints/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/features/multicursor/register';
import { palette } from '../../styles/palette';

// Bundled worker, started from our own origin: the CSP allows workers from 'self' and blob:,
// and nothing is fetched from a CDN.
self.MonacoEnvironment = { getWorker: () => new EditorWorker() };

monaco.editor.defineTheme('swarmdeck', {
  base: 'vs-dark',
  inherit: true,
  rules: [
    { token: 'keyword', foreground: '58a6ff', fontStyle: 'bold' },
    { token: 'keyword.sub', foreground: 'd2a8ff' },
    { token: 'keyword.danger', foreground: 'ff7b72', fontStyle: 'bold' },
    { token: 'string', foreground: 'a5d6ff' },
    { token: 'string.escape', foreground: 'ffa657' },
    { token: 'number', foreground: '79c0ff' },
    { token: 'comment', foreground: '8b949e', fontStyle: 'italic' },
    { token: 'attribute', foreground: 'ffa657' },
  ],
  colors: {
    'editor.background': palette.bg,
    'editor.lineHighlightBackground': palette.panel,
    'editorLineNumber.foreground': palette.faint,
    'editorSuggestWidget.background': palette.panel,
    'editorSuggestWidget.border': palette.border,
    'editorHoverWidget.background': palette.panel,
    'editorHoverWidget.border': palette.border,
  },
});

export { monaco };

/** What every Swarmdeck editor shares: the theme, no minimap, the house size, widgets kept in view. */
export const EDITOR_BASE: monaco.editor.IStandaloneEditorConstructionOptions = {
  theme: 'swarmdeck',
  minimap: { enabled: false },
  fontSize: 13,
  lineNumbersMinChars: 3,
  automaticLayout: true,
  scrollBeyondLastLine: false,
  fixedOverflowWidgets: true,
};
