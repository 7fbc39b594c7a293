import { useEffect, useRef } from 'react';
import { EDITOR_BASE, monaco } from './monaco';
import type { ConsoleCatalogue } from '../../../../shared/model/console';
import { applyCatalogue, REDIS_LANGUAGE } from './redis-monaco';

interface Props {
  /** What completion, signature help and hover read; undefined until main answers. */
  catalogue: ConsoleCatalogue | undefined;
  /** Receives the function the Run button calls: it runs what Ctrl/Cmd+Enter would. */
  exposeRun(run: () => void): void;
  /** Text put in the editor from outside (a history entry, a big key from Diagnostics); replaces what is there. */
  value: { text: string; version: number };
  /** What the editor opens with. */
  initial: string;
  onFilled(text: string): void;
  /** Called with the text when the editor goes away. */
  onLeave(text: string): void;
  /** Ctrl/Cmd+Enter: the selection when there is one, else the cursor's line. */
  onRun(text: string): void;
}

/**
 * Monaco speaking Redis. Default export so the page loads it lazily: Monaco is most of the
 * renderer's weight, and only this page needs it.
 */
export default function RedisEditor({ catalogue, exposeRun, value, initial, onFilled, onLeave, onRun }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | undefined>(undefined);
  // The command is bound once; it must call the latest handler, not the first render's.
  const handlers = useRef({ onRun, onFilled, onLeave, initial, exposeRun });
  useEffect(() => {
    handlers.current = { onRun, onFilled, onLeave, initial, exposeRun };
  });

  useEffect(() => {
    if (!host.current) return undefined;
    const e = monaco.editor.create(host.current, {
      value: handlers.current.initial,
      language: REDIS_LANGUAGE,
      ...EDITOR_BASE,
      wordBasedSuggestions: 'off',
      quickSuggestions: { other: true, comments: false, strings: false },
      suggestOnTriggerCharacters: true,
      parameterHints: { enabled: true },
      renderLineHighlight: 'line',
      ariaLabel: 'Redis command editor',
    });
    e.addAction({
      id: 'swarmdeck.run',
      label: 'Run line or selection',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      run: () => runNow(),
    });
    const runNow = (): void => {
      const text = runText(e);
      if (text === undefined) return;
      // The signature and suggestions of the line just sent would float over its results.
      e.trigger('swarmdeck', 'closeParameterHints', null);
      e.trigger('swarmdeck', 'hideSuggestWidget', null);
      handlers.current.onRun(text);
    };
    handlers.current.exposeRun(runNow);
    editor.current = e;
    return () => {
      handlers.current.onLeave(e.getValue());
      e.getModel()?.dispose();
      e.dispose();
      editor.current = undefined;
    };
  }, []);

  useEffect(() => {
    applyCatalogue(catalogue);
  }, [catalogue]);

  useEffect(() => {
    const e = editor.current;
    if (!e || value.version === 0) return;
    e.setValue(value.text);
    const lines = e.getModel()?.getLineCount() ?? 1;
    e.setPosition({ lineNumber: lines, column: e.getModel()?.getLineMaxColumn(lines) ?? 1 });
    e.focus();
    handlers.current.onFilled(value.text);
  }, [value]);

  return <div className="console-editor" ref={host} data-testid="console-editor" />;
}

/** The selection when there is one, else the cursor's line. */
function runText(e: monaco.editor.ICodeEditor): string | undefined {
  const model = e.getModel();
  const selection = e.getSelection();
  if (!model || !selection) return undefined;
  return selection.isEmpty() ? model.getLineContent(selection.positionLineNumber) : model.getValueInRange(selection);
}
