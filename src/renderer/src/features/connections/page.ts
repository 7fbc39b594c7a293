import './connections.css';
import { definePage } from '../../app/page';
import { ConnectionsPage } from './ConnectionsPage';

export const connectionsPage = definePage({
  id: 'connections',
  title: 'Connections',
  icon: '⌁',
  order: 10,
  needsConnection: false,
  component: ConnectionsPage,
});
