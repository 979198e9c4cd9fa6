/**
 * The notifications unit's callable surface: what other units, jobs, tools and tests call. Its
 * descriptor (routes, migrations, CLI commands) is index.ts, which only the unit list
 * (units.ts) imports, so calling the unit never loads its routes or the operator CLI.
 */
export {
  pendingNotifications,
  queueNotification,
  queueNotifications,
  type NoticeInput,
} from './queue';
export { issueDueBalanceNotice, markBalanceChanged } from './balance-due';
export { announceNotices } from './push';
export { PushHub } from './hub';
