/**
 * The user notification unit (用户通知单元, claim 9): signed notices to one wallet. Other
 * units queue them (queue.ts) inside their transaction and, after it commits, wake the
 * wallet's WebSocket with announceNotices (push.ts); phones pull them at sync.
 */
import type { PlatformUnit } from '../unit';
import { balanceNoticesDue, notificationTables, suspendTerminalNotices } from './migrations';

export const notificationsUnit: PlatformUnit = {
  name: 'notifications',
  migrations: [notificationTables, balanceNoticesDue, suspendTerminalNotices],
};
