// The renderer's transport when it runs in an ordinary browser: the API contract over the
// browser host's WebSocket (/rpc), authenticated by the per-launch token from the page URL.
import type {
  ApiError,
  ApiEventName,
  ApiEvents,
  ApiOutcome,
  RpcEventMessage,
  RpcRequest,
  TapsafeBridge,
} from '../../preload/api';
import { API_EVENT_NAMES } from '../../preload/contract/events';

// Stored untyped: each relay below casts back to its own event's payload type.
type Listener = (payload: unknown) => void;

// Keyed by the contract's event names, so a new event in api.ts fails the type-check until it
// is listed here too.
const knownEvents: Readonly<Record<ApiEventName, true>> = API_EVENT_NAMES;

/** The token in a URL fragment such as "#token=abc". Fragments never reach any server log. */
export function tokenFromHash(hash: string): string | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token === null || token === '' ? undefined : token;
}

export function rpcUrl(page: Location, token: string): string {
  const scheme = page.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${page.host}/rpc?token=${encodeURIComponent(token)}`;
}

const unavailable: ApiOutcome<never> = {
  ok: false,
  error: { code: 'unavailable', message: 'the connection to the terminal service is closed' },
};

/**
 * `onClosed` tells the screen the service cannot answer any more: `wasOpen` false means the
 * handshake was refused (a browser hides the status code; a stale token is the usual cause).
 */
export function createWebSocketBridge(
  url: string,
  onClosed: (wasOpen: boolean) => void,
): TapsafeBridge {
  const socket = new WebSocket(url);
  const pending = new Map<number, (outcome: ApiOutcome<unknown>) => void>();
  const listeners = new Map<ApiEventName, Set<Listener>>();
  let nextId = 1;
  let closed = false;
  let wasOpen = false;
  const opened = new Promise<boolean>((resolve) => {
    socket.addEventListener(
      'open',
      () => {
        wasOpen = true;
        resolve(true);
      },
      { once: true },
    );
    socket.addEventListener('close', () => resolve(false), { once: true });
  });

  socket.addEventListener('message', (message: MessageEvent<unknown>) => {
    const parsed = parseMessage(message.data);
    if (parsed === undefined) return;
    if ('event' in parsed) {
      for (const listener of listeners.get(parsed.event) ?? []) listener(parsed.payload);
    } else if (parsed.id !== null) {
      pending.get(parsed.id)?.(parsed.outcome);
      pending.delete(parsed.id);
    }
  });
  socket.addEventListener('close', () => {
    closed = true;
    for (const settle of pending.values()) settle(unavailable);
    pending.clear();
    onClosed(wasOpen);
  });

  return {
    async invoke(method, params) {
      if (closed || !(await opened)) return unavailable;
      const id = nextId++;
      const request: RpcRequest = { id, method, params };
      return new Promise((resolve) => {
        pending.set(id, resolve as (outcome: ApiOutcome<unknown>) => void);
        socket.send(JSON.stringify(request));
      });
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      const relay: Listener = (payload) => listener(payload as ApiEvents[typeof event]);
      set.add(relay);
      return () => set.delete(relay);
    },
  };
}

type ParsedMessage =
  | { readonly event: ApiEventName; readonly payload: RpcEventMessage['payload'] }
  | { readonly id: number | null; readonly outcome: ApiOutcome<unknown> };

/** Anything the server sends is checked for shape; a malformed message is ignored. */
function parseMessage(data: unknown): ParsedMessage | undefined {
  if (typeof data !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const event = record['event'];
  if (typeof event === 'string') {
    if (!Object.hasOwn(knownEvents, event)) return undefined;
    return {
      event: event as ApiEventName,
      payload: record['payload'] as RpcEventMessage['payload'],
    };
  }
  const id = record['id'];
  if (typeof id !== 'number' && id !== null) return undefined;
  if (record['ok'] === true) return { id, outcome: { ok: true, result: record['result'] } };
  if (record['ok'] === false && typeof record['error'] === 'object' && record['error'] !== null) {
    return { id, outcome: { ok: false, error: record['error'] as ApiError } };
  }
  return undefined;
}
