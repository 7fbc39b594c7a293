import type { MinuteStats } from '../../../../shared/model/task';
import { ThroughputChart, TimingChart } from './QueueCharts';

/** The queue's last half hour: tasks in and out per minute, and how long they waited and ran. */
export function QueueFlow({ minutes }: { minutes: MinuteStats[] }) {
  return (
    <div className="charts-2">
      <section className="panel">
        <header className="panel-head">
          <h3>Throughput</h3>
          <span className="muted">per minute, last 30</span>
        </header>
        <ThroughputChart minutes={minutes} />
      </section>
      <section className="panel">
        <header className="panel-head">
          <h3>Wait and processing time</h3>
          <span className="muted">average per minute</span>
        </header>
        <TimingChart minutes={minutes} />
      </section>
    </div>
  );
}
