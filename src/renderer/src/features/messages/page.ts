import './messages.css';
import { definePage } from '../../app/page';
import { MessagesPage } from './MessagesPage';

export const messagesPage = definePage({
  id: 'messages',
  title: 'Messages',
  icon: '✉',
  order: 46,
  needsConnection: true,
  offline: 'Connect a profile to watch its messages live.',
  component: MessagesPage,
});
