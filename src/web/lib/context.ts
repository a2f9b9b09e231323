/** What every component reads: the view (from the URL), the session, and the formatting settings. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Fmt } from './format.js';
import type { View } from './state.js';
import type { Me } from './types.js';

export interface AppCtx {
  view: View;
  /** Changes the view (pushes the URL); `replace` keeps history clean for small tweaks. */
  go: (patch: Partial<View>, replace?: boolean) => void;
  me: Me;
  fmt: Fmt;
  /** The workspace's time zone: every date and "today" is in it. */
  tz: string;
  today: string;
}

export const Ctx = createContext<AppCtx | null>(null);

export function useApp(): AppCtx {
  const c = useContext(Ctx);
  if (!c) throw new Error('useApp outside the app');
  return c;
}
