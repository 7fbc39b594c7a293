import { useEffect, useRef } from 'react';
import { EDITOR_BASE } from '../console/monaco';
import { monaco, scopeUri } from './monaco-json';

export interface EditorProblem {
  line: number;
  message: string;
}

interface Props {
  scope: string;
  /** The document shown; replacing it (another scope, a reload) resets the editor. */
  text: string;
  /** A new revision puts `text` back even when it is unchanged (revert). */
  revision: number;
  onChange(text: string): void;
  /** The schema problems Monaco found, shown beside the editor as well as inline. */
  onProblems(problems: EditorProblem[]): void;
}

/** Monaco editing one scope's JSON. Default export so the page loads it lazily (Monaco is heavy). */
export default function ConfigEditor({ scope, text, revision, onChange, onProblems }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | undefined>(undefined);
  const handlers = useRef({ onChange, onProblems });
  useEffect(() => {
    handlers.current = { onChange, onProblems };
  });

  useEffect(() => {
    if (!host.current) return undefined;
    const e = monaco.editor.create(host.current, {
      ...EDITOR_BASE,
      ariaLabel: 'Configuration editor',
    });
    editor.current = e;
    const changed = e.onDidChangeModelContent(() => handlers.current.onChange(e.getValue()));
    const markers = monaco.editor.onDidChangeMarkers((uris) => {
      const model = e.getModel();
      if (!model || !uris.some((u) => u.toString() === model.uri.toString())) return;
      handlers.current.onProblems(
        monaco.editor.getModelMarkers({ resource: model.uri }).map((m) => ({ line: m.startLineNumber, message: m.message })),
      );
    });
    return () => {
      changed.dispose();
      markers.dispose();
      e.getModel()?.dispose();
      e.dispose();
    };
  }, []);

  useEffect(() => {
    const e = editor.current;
    if (!e) return;
    const uri = scopeUri(scope);
    const current = e.getModel();
    if (current && current.uri.toString() === uri.toString()) {
      if (current.getValue() !== text) current.setValue(text);
      return;
    }
    current?.dispose();
    e.setModel(monaco.editor.getModel(uri) ?? monaco.editor.createModel(text, 'json', uri));
    handlers.current.onProblems([]);
  }, [scope, text, revision]);

  return <div className="config-editor" ref={host} data-testid="config-editor" />;
}
