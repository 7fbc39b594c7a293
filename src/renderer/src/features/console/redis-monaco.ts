import type { ConsoleCatalogue } from '../../../../shared/model/console';
import { monaco } from './monaco';
import { CommandIndex, hoverText, signature, activeArgument, splitWords, suggest } from './redis-language';

export const REDIS_LANGUAGE = 'redis';

/** The catalogue of the server the console is on; the providers read it at each keystroke. */
let index: CommandIndex | undefined;
let registered = false;

function tokenizer(catalogue: ConsoleCatalogue | undefined): monaco.languages.IMonarchLanguage {
  const commands = catalogue?.commands ?? [];
  const subs = commands.flatMap((c) => (c.subcommands ?? []).map((s) => s.name.slice(c.name.length + 1)));
  const dangerous = commands.filter((c) => c.class === 'dangerous').map((c) => c.name);
  return {
    ignoreCase: true,
    commands: commands.map((c) => c.name).filter((n) => !dangerous.includes(n)),
    dangerous,
    subs,
    tokenizer: {
      // No state survives a line: each line is a command of its own, so only quotes push one
      // (and they pop on the closing quote); a rule anchored with ^ names the command.
      root: [
        [/^\s*#.*$/, 'comment'],
        [
          /^(\s*)([A-Za-z][\w.|-]*)/,
          ['white', { cases: { '@dangerous': 'keyword.danger', '@commands': 'keyword', '@default': 'identifier' } }],
        ],
        [/"/, 'string', '@dq'],
        [/'/, 'string', '@sq'],
        [/-?\d+(\.\d+)?(?=\s|$)/, 'number'],
        [/[A-Za-z][\w-]*/, { cases: { '@subs': 'keyword.sub', '@default': 'identifier' } }],
        [/\s+/, 'white'],
        [/[^\s"']+/, 'identifier'],
      ],
      dq: [
        [/\\(x[0-9a-fA-F]{2}|.)/, 'string.escape'],
        [/[^"\\]+/, 'string'],
        [/"/, 'string', '@pop'],
      ],
      sq: [
        [/[^']+/, 'string'],
        [/'/, 'string', '@pop'],
      ],
    },
  };
}

const completionKinds = (): Record<string, monaco.languages.CompletionItemKind> => ({
  command: monaco.languages.CompletionItemKind.Function,
  subcommand: monaco.languages.CompletionItemKind.Method,
  token: monaco.languages.CompletionItemKind.Keyword,
  value: monaco.languages.CompletionItemKind.Variable,
});

/** Commands, subcommands and tokens as they are typed; values as placeholders to overwrite. */
function registerCompletions(): void {
  monaco.languages.registerCompletionItemProvider(REDIS_LANGUAGE, {
    triggerCharacters: [' '],
    provideCompletionItems(model, position) {
      if (!index) return { suggestions: [] };
      const before = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
      const { suggestions, prefix } = suggest(index, before);
      const range = new monaco.Range(position.lineNumber, position.column - prefix.length, position.lineNumber, position.column);
      const kinds = completionKinds();
      return {
        suggestions: suggestions.map((s, i) => {
          const isCommand = s.kind === 'command' || s.kind === 'subcommand';
          return {
            label: isCommand
              ? { label: s.insert, description: s.command.group ?? '', detail: s.command.since ? `  since ${s.command.since}` : '' }
              : { label: s.insert, description: s.detail },
            kind: kinds[s.kind] ?? monaco.languages.CompletionItemKind.Text,
            // A value is a placeholder to overwrite, not text to keep.
            insertText: s.kind === 'value' ? `\${1:${s.insert}}` : `${s.insert} `,
            insertTextRules: s.kind === 'value' ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : undefined,
            detail: isCommand ? signature(s.command).label : s.detail,
            documentation: isCommand ? { value: hoverText(s.command).join('\n\n') } : undefined,
            sortText: String(i).padStart(5, '0'),
            range,
            command: isCommand ? { id: 'editor.action.triggerParameterHints', title: 'signature' } : undefined,
          };
        }),
      };
    },
  });
}

/** The signature of the command being typed, with the argument under the cursor. */
function registerSignatureHelp(): void {
  monaco.languages.registerSignatureHelpProvider(REDIS_LANGUAGE, {
    signatureHelpTriggerCharacters: [' '],
    signatureHelpRetriggerCharacters: [' '],
    provideSignatureHelp(model, position) {
      if (!index) return null;
      const before = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
      const words = splitWords(before).map((w) => w.text);
      const resolved = index.resolve(words);
      if (!resolved || words.length < resolved.consumed) return null;
      const typing = !/\s$/.test(before);
      const argWords = words.slice(resolved.consumed, typing ? -1 : undefined);
      const sig = signature(resolved.command);
      return {
        value: {
          signatures: [
            { label: sig.label, documentation: resolved.command.summary, parameters: sig.parameters.map((p) => ({ label: p })) },
          ],
          activeSignature: 0,
          activeParameter: Math.max(0, activeArgument(resolved.command, argWords)),
        },
        dispose() {},
      };
    },
  });
}

/** The command's docs over its name. */
function registerHover(): void {
  monaco.languages.registerHoverProvider(REDIS_LANGUAGE, {
    provideHover(model, position) {
      if (!index) return null;
      const line = model.getLineContent(position.lineNumber);
      const words = splitWords(line);
      const resolved = index.resolve(words.map((w) => w.text));
      if (!resolved) return null;
      const last = words[resolved.consumed - 1] as (typeof words)[number];
      const first = words[0] as (typeof words)[number];
      if (position.column - 1 < first.start || position.column - 1 > last.end) return null;
      return {
        range: new monaco.Range(position.lineNumber, first.start + 1, position.lineNumber, last.end + 1),
        contents: hoverText(resolved.command).map((value) => ({ value })),
      };
    },
  });
}

/** Registers the language once, then swaps the catalogue it completes from. */
export function applyCatalogue(catalogue: ConsoleCatalogue | undefined): void {
  index = catalogue ? new CommandIndex(catalogue) : undefined;
  if (!registered) {
    registered = true;
    monaco.languages.register({ id: REDIS_LANGUAGE });
    monaco.languages.setLanguageConfiguration(REDIS_LANGUAGE, {
      comments: { lineComment: '#' },
      autoClosingPairs: [
        { open: '"', close: '"' },
        { open: "'", close: "'" },
      ],
      wordPattern: /[^\s"']+/,
    });
    registerCompletions();
    registerSignatureHelp();
    registerHover();
  }
  monaco.languages.setMonarchTokensProvider(REDIS_LANGUAGE, tokenizer(catalogue));
}
