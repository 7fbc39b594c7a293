import type { ReactNode } from 'react';

/** What MONITOR is asked for: how long, how much, and which commands. */
export interface ProfilerSettings {
  seconds: number;
  maxCommands: number;
  commands: string;
  contains: string;
}

interface Props {
  settings: ProfilerSettings;
  setSettings(s: ProfilerSettings): void;
  /** A cluster's masters; empty on a standalone server. */
  nodes: string[];
  node: string;
  setNode(node: string): void;
  /** Start, or Stop while a job runs. */
  children: ReactNode;
}

/** The profiler's settings, the node it watches, and its start or stop button. */
export function ProfilerForm({ settings, setSettings, nodes, node, setNode, children }: Props) {
  return (
    <section className="panel profiler-form">
      <label className="field inline">
        <span>Seconds</span>
        <input
          className="input input-small"
          type="number"
          min={1}
          max={3600}
          value={settings.seconds}
          onChange={(e) => setSettings({ ...settings, seconds: Number(e.target.value) })}
        />
      </label>
      <label className="field inline">
        <span>Max commands</span>
        <input
          className="input input-small"
          type="number"
          min={1}
          value={settings.maxCommands}
          onChange={(e) => setSettings({ ...settings, maxCommands: Number(e.target.value) })}
        />
      </label>
      <label className="field inline">
        <span>Only commands</span>
        <input
          className="input"
          placeholder="e.g. GET SET HGETALL"
          value={settings.commands}
          onChange={(e) => setSettings({ ...settings, commands: e.target.value })}
        />
      </label>
      <label className="field inline">
        <span>Containing</span>
        <input
          className="input"
          placeholder="text in the line"
          value={settings.contains}
          onChange={(e) => setSettings({ ...settings, contains: e.target.value })}
        />
      </label>
      {nodes.length > 0 && (
        <label className="field inline">
          <span>Node</span>
          <select className="input" value={node} onChange={(e) => setNode(e.target.value)}>
            <option value="">every master</option>
            {nodes.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      )}
      {children}
    </section>
  );
}
