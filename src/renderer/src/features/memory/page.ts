import './memory.css';
import { definePage } from '../../app/page';
import { MemoryPage } from './MemoryPage';

export const memoryPage = definePage({
  id: 'memory',
  title: 'Memory',
  icon: '◈',
  order: 46,
  needsConnection: true,
  offline: "Connect a profile to browse its agents' memory and resolve conflicts.",
  component: MemoryPage,
});
