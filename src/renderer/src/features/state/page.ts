import './state.css';
import { definePage } from '../../app/page';
import { StatePage } from './StatePage';

export const statePage = definePage({
  id: 'state',
  title: 'State',
  icon: '≡',
  order: 44,
  needsConnection: true,
  offline: "Connect a profile to browse its agents' versioned shared state.",
  component: StatePage,
});
