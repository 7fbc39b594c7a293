import './console.css';
import { definePage } from '../../app/page';
import { ConsolePage } from './ConsolePage';

export const consolePage = definePage({
  id: 'console',
  title: 'Console',
  icon: '›_',
  order: 50,
  needsConnection: true,
  offline: 'Connect a profile to run Redis commands against it.',
  component: ConsolePage,
});
