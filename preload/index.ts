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
import { API_EVENT_NAMES } from './contract/events';

const invokeChannel: IpcInvokeChannel = 'tapsafe:invoke';
const eventChannel: IpcEventChannel = 'tapsafe:event';

// Records keyed by the contract's names: adding a method or event to api.ts without listing
// it here (or listing one that does not exist) fails the type-check.
const allowedMethods: Readonly<Record<ApiMethodName, true>> = {
  'app.info': true,
  'app.setMode': true,
  'readers.list': true,
  'checkout.start': true,
  'checkout.cancel': true,
  'checkout.current': true,
  'payments.list': true,
  'payments.get': true,
  'payments.void': true,
  'settlement.status': true,
  'settlement.close': true,
  'settlement.upload': true,
  'settlement.batches': true,
  'settlement.result': true,
  'reports.x': true,
  'reports.z': true,
  'reports.zList': true,
  'reports.salesByHour': true,
  'reports.salesByDay': true,
  'reports.csv': true,
  'enrollment.status': true,
  'enrollment.enroll': true,
  'sync.status': true,
  'sync.now': true,
  'settings.get': true,
  'settings.set': true,
  'backup.create': true,
  'backup.restore': true,
  'demo.state': true,
  'demo.action': true,
  'demo.timeTravel': true,
  'demo.forgedTap': true,
  'demo.platform': true,
  'app.readiness': true,
  'demo.addPhone': true,
};
// The contract's own list (a value import of a types-and-constants module, no zod).
const allowedEvents: Readonly<Record<ApiEventName, true>> = API_EVENT_NAMES;

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
