// The Electron preload: exposes exactly the API contract of ./api.ts to the sandboxed renderer
// as `window.tapsafe`. Only method and event names from fixed allow-lists pass, so the page can
// never use ipcRenderer to reach any other channel.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type {
  ApiEventName,
  ApiEvents,
  ApiMethodName,
  ApiOutcome,
  ApiResult,
  IpcEventChannel,
  IpcInvokeChannel,
  TapsafeBridge,
} from './api';

const invokeChannel: IpcInvokeChannel = 'tapsafe:invoke';
const eventChannel: IpcEventChannel = 'tapsafe:event';

// Records keyed by the contract's names: adding a method or event to api.ts without listing
// it here (or listing one that does not exist) fails the type-check.
const allowedMethods: Readonly<Record<ApiMethodName, true>> = { 'app.info': true };
const allowedEvents: Readonly<Record<ApiEventName, true>> = { 'app.status': true };

const bridge: TapsafeBridge = {
  async invoke(method, params) {
    if (!Object.hasOwn(allowedMethods, method)) {
      return {
        ok: false,
        error: { code: 'unknown_method', message: `unknown method: ${String(method)}` },
      };
    }
    // main/electron answers every call with an outcome (see dispatchApiCall); it never throws.
    return (await ipcRenderer.invoke(invokeChannel, method, params)) as ApiOutcome<
      ApiResult<typeof method>
    >;
  },
  on(event, listener) {
    if (!Object.hasOwn(allowedEvents, event)) throw new Error(`unknown event: ${String(event)}`);
    const relay = (_ipc: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) listener(payload as ApiEvents[typeof event]);
    };
    ipcRenderer.on(eventChannel, relay);
    return () => {
      ipcRenderer.removeListener(eventChannel, relay);
    };
  },
};

contextBridge.exposeInMainWorld('tapsafe', bridge);
