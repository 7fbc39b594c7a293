import './analytics.css';
import { definePage } from '../../app/page';
import { AlertsNavBadge } from './AlertsNavBadge';
import { AnalyticsPage } from './AnalyticsPage';

export const analyticsPage = definePage({
  id: 'analytics',
  title: 'Analytics',
  icon: '∿',
  order: 25,
  needsConnection: true,
  offline: 'Connect a profile to see its recorded series, anomalies, bottlenecks and alerts.',
  component: AnalyticsPage,
  NavBadge: AlertsNavBadge,
});
