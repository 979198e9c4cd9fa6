// The client reaches screens through React context, so a test renders them on a fake bridge.
import { createContext, useContext } from 'react';
import type { ApiClient } from './client';

export const ApiContext = createContext<ApiClient | null>(null);

export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (api === null) throw new Error('useApi() outside <ApiContext.Provider>');
  return api;
}
