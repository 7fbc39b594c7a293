import './diagnostics.css';
import { definePage } from '../../app/page';
import { DiagnosticsPage } from './DiagnosticsPage';

export const diagnosticsPage = definePage({
  id: 'diagnostics',
  title: 'Diagnostics',
  icon: '✚',
  order: 55,
  needsConnection: true,
  offline: 'Connect a profile to diagnose its connection, performance, memory and clients.',
  component: DiagnosticsPage,
});
