import './backup.css';
import { definePage } from '../../app/page';
import { BackupsPage } from './BackupsPage';

export const backupsPage = definePage({
  id: 'backups',
  title: 'Backups',
  icon: '⛁',
  order: 60,
  needsConnection: true,
  offline: 'Connect a profile to back it up, restore it or recover its coordination keys.',
  component: BackupsPage,
});
