import { useEffect, useRef } from 'react';
import { monaco } from './monaco';
import { REDIS_LANGUAGE } from './redis-monaco';

interface Props {
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

/** Monaco speaking Redis; the catalogue behind completion is swapped by `applyCatalogue`. */
export function RedisEditor({ value, initial, onFilled, onLeave, onRun }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | undefined>(undefined);
  // The command is bound once; it must call the latest handler, not the first render's.
  const handlers = useRef({ onRun, onFilled, onLeave, initial });
  useEffect(() => {
    handlers.current = { onRun, onFilled, onLeave, initial };
  });

  useEffect(() => {
    if (!host.current) return undefined;
    const e = monaco.editor.create(host.current, {
      value: handlers.current.initial,
      language: REDIS_LANGUAGE,
      theme: 'swarmdeck',
      minimap: { enabled: false },
      fontSize: 13,
      lineNumbersMinChars: 3,
      automaticLayout: true,
      scrollBeyondLastLine: false,
      wordBasedSuggestions: 'off',
      quickSuggestions: { other: true, comments: false, strings: false },
      suggestOnTriggerCharacters: true,
      parameterHints: { enabled: true },
      renderLineHighlight: 'line',
      fixedOverflowWidgets: true,
      ariaLabel: 'Redis command editor',
    });
    e.addAction({
      id: 'swarmdeck.run',
      label: 'Run line or selection',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      run: (ed) => {
        const model = ed.getModel();
        const selection = ed.getSelection();
        if (!model || !selection) return;
        const text = selection.isEmpty() ? model.getLineContent(selection.positionLineNumber) : model.getValueInRange(selection);
        handlers.current.onRun(text);
      },
    });
    editor.current = e;
    return () => {
      handlers.current.onLeave(e.getValue());
      e.getModel()?.dispose();
      e.dispose();
      editor.current = undefined;
    };
  }, []);

  useEffect(() => {
    const e = editor.current;
    if (!e || value.version === 0) return;
    e.setValue(value.text);
    const lines = e.getModel()?.getLineCount() ?? 1;
    e.setPosition({ lineNumber: lines, column: (e.getModel()?.getLineMaxColumn(lines) ?? 1) });
    e.focus();
    handlers.current.onFilled(value.text);
  }, [value]);

  return <div className="console-editor" ref={host} data-testid="console-editor" />;
}

/** Runs what the editor would run on Ctrl/Cmd+Enter, for the Run button. */
export function currentRunText(): string | undefined {
  const e = monaco.editor.getEditors()[0];
  const model = e?.getModel();
  const selection = e?.getSelection();
  if (!e || !model || !selection) return undefined;
  return selection.isEmpty() ? model.getLineContent(selection.positionLineNumber) : model.getValueInRange(selection);
}
