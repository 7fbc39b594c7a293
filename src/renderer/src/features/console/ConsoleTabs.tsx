import { useConsole } from './console-store';

/** Console or Profiler, and where the command catalogue came from. */
export function ConsoleTabs() {
  const tab = useConsole((s) => s.tab);
  const catalogue = useConsole((s) => s.catalogue);
  const catalogueError = useConsole((s) => s.catalogueError);
  return (
    <div className="console-tabs" role="tablist">
      <button
        type="button"
        role="tab"
        aria-selected={tab === 'console'}
        className={`tab${tab === 'console' ? ' active' : ''}`}
        onClick={() => useConsole.getState().setTab('console')}
      >
        Console
      </button>
      <button
        type="button"
        role="tab"
        aria-selected={tab === 'profiler'}
        className={`tab${tab === 'profiler' ? ' active' : ''}`}
        onClick={() => useConsole.getState().setTab('profiler')}
      >
        Profiler
      </button>
      <span className="console-source muted" data-testid="catalogue-source">
        {catalogue
          ? `${catalogue.commands.length} commands · Redis ${catalogue.version} · ${catalogue.source === 'server' ? "from the server's COMMAND DOCS" : 'shipped snapshot'}`
          : catalogueError
            ? `No command catalogue: ${catalogueError}`
            : 'Loading commands…'}
      </span>
    </div>
  );
}
