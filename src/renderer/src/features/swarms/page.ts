import './swarms.css';
import { definePage } from '../../app/page';
import { SwarmsPage } from './SwarmsPage';

export const swarmsPage = definePage({
  id: 'swarms',
  title: 'Swarms',
  icon: '⬡',
  order: 30,
  needsConnection: true,
  offline: 'Connect a profile to see its swarms.',
  component: SwarmsPage,
});
