import './overview.css';
import { definePage } from '../../app/page';
import { AlertBadge } from './AlertBadge';
import { OverviewPage } from './OverviewPage';

export const overviewPage = definePage({
  id: 'overview',
  title: 'Overview',
  icon: '◉',
  order: 20,
  needsConnection: true,
  offline: 'Connect a profile to see its nodes, latency, memory and alerts.',
  component: OverviewPage,
  NavBadge: AlertBadge,
});
