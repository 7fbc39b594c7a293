import { analyticsPage } from '../features/analytics/page';
import { backupsPage } from '../features/backup/page';
import { connectionsPage } from '../features/connections/page';
import { consolePage } from '../features/console/page';
import { diagnosticsPage } from '../features/diagnostics/page';
import { locksPage } from '../features/locks/page';
import { memoryPage } from '../features/memory/page';
import { messagesPage } from '../features/messages/page';
import { configPage } from '../features/config/page';
import { overviewPage } from '../features/overview/page';
import { statePage } from '../features/state/page';
import { swarmsPage } from '../features/swarms/page';
import { tasksPage } from '../features/tasks/page';
import type { PageDescriptor } from './page';

/** Every page of the console. Adding one is its feature folder plus one line here. */
const REGISTERED = [
  connectionsPage,
  overviewPage,
  swarmsPage,
  tasksPage,
  backupsPage,
  consolePage,
  diagnosticsPage,
  analyticsPage,
  locksPage,
  statePage,
  memoryPage,
  configPage,
  messagesPage,
];

export type PageId = (typeof REGISTERED)[number]['id'];

/** In navigation order. */
export const PAGES: readonly PageDescriptor<PageId>[] = [...REGISTERED].sort((a, b) => a.order - b.order);

const BY_ID = new Map<string, PageDescriptor<PageId>>(REGISTERED.map((p) => [p.id, p]));

export const pageById = (id: PageId): PageDescriptor<PageId> => BY_ID.get(id) ?? connectionsPage;
