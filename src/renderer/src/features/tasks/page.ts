import './tasks.css';
import { definePage } from '../../app/page';
import { TasksPage } from './TasksPage';

export const tasksPage = definePage({
  id: 'tasks',
  title: 'Tasks',
  icon: '☰',
  order: 40,
  needsConnection: true,
  offline: 'Connect a profile to see its task queues.',
  component: TasksPage,
});
