import './locks.css';
import { definePage } from '../../app/page';
import { LocksPage } from './LocksPage';

export const locksPage = definePage({
  id: 'locks',
  title: 'Locks',
  icon: '⚷',
  order: 42,
  needsConnection: true,
  offline: 'Connect a profile to see the locks its agents hold, their fences and who waits.',
  component: LocksPage,
});
