/**
 * The user notification unit (用户通知单元, claim 9): signed notices to one wallet. Other
 * units queue them (queue.ts); phones pull them at sync or get them pushed.
 */
import type { PlatformUnit } from '../unit';
import { notificationTables } from './migrations';

export const notificationsUnit: PlatformUnit = {
  name: 'notifications',
  migrations: [notificationTables],
};

export { pendingNotifications, queueNotification, type NoticeInput } from './queue';
