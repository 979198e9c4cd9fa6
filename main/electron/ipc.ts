// Mounts the API handler table on ipcMain and forwards terminal events to the window. Every call
// is checked first: it must come from the top frame of a page that is our own renderer.
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import type {
  ApiEvents,
  ApiHandlers,
  ApiOutcome,
  IpcEventChannel,
  IpcInvokeChannel,
} from '../../preload/api';
import { dispatchApiCall, failure } from '../terminal/api/dispatch';
import type { EventBus } from '../terminal/events';
import type { RendererLocation } from './renderer-location';

const invokeChannel: IpcInvokeChannel = 'tapsafe:invoke';
const eventChannel: IpcEventChannel = 'tapsafe:event';

export function mountApiOnIpc(
  ipcMain: IpcMain,
  handlers: ApiHandlers,
  location: RendererLocation,
  logError: (error: unknown) => void,
): void {
  ipcMain.handle(
    invokeChannel,
    async (
      event: IpcMainInvokeEvent,
      method: unknown,
      params: unknown,
    ): Promise<ApiOutcome<unknown>> => {
      if (!isOwnTopFrame(event, location)) {
        logError(new Error(`refused IPC from ${event.senderFrame?.url ?? 'a destroyed frame'}`));
        return failure('forbidden', 'caller is not the terminal page');
      }
      return dispatchApiCall(handlers, method, params, logError);
    },
  );
}

function isOwnTopFrame(event: IpcMainInvokeEvent, location: RendererLocation): boolean {
  const frame = event.senderFrame;
  // A null frame navigated away or was destroyed while the call was in flight.
  return frame !== null && frame.parent === null && location.isOwnPage(frame.url);
}

/** Forwards every terminal event to the window while it lives. */
export function forwardEvents(events: EventBus<ApiEvents>, window: BrowserWindow): void {
  const unsubscribe = events.subscribe((name, payload) => {
    if (!window.isDestroyed()) window.webContents.send(eventChannel, name, payload);
  });
  window.on('closed', unsubscribe);
}
