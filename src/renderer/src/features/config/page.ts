import './config.css';
import { definePage } from '../../app/page';
import { ConfigPage } from './ConfigPage';

export const configPage = definePage({
  id: 'config',
  title: 'Config',
  icon: '⚙',
  order: 47,
  needsConnection: true,
  offline: 'Connect a profile to edit its swarm configuration, compare environments and promote.',
  component: ConfigPage,
});
