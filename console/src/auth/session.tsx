import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, setApiKey } from '../api/client';
import type { Me, Role } from '../api/types';
import { useI18n } from '../i18n/i18n';

/** Areas a role writes, mirroring API.md (the API enforces it; the console only hides what would fail). */
export type Area = 'contacts' | 'orders' | 'templates' | 'automations' | 'messages' | 'campaigns' | 'segments' | 'holidays';
const WRITES: Record<Role, Area[]> = {
  admin: ['contacts', 'orders', 'templates', 'automations', 'messages', 'campaigns', 'segments', 'holidays'],
  ops: ['contacts', 'orders', 'templates', 'automations', 'messages'],
  marketer: ['campaigns', 'segments', 'holidays'],
  viewer: [],
};

const STORAGE_KEY = 'carebeat.apiKey';

interface Session {
  me: Me | null;
  restoring: boolean;
  signIn(key: string): Promise<void>;
  signOut(): void;
  canWrite(area: Area): boolean;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [restoring, setRestoring] = useState(() => sessionStorage.getItem(STORAGE_KEY) !== null);
  // What one key read must not show under another key (roles see and may do different things).
  const cache = useQueryClient();
  const { setTimeZone } = useI18n();

  const signOut = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    setApiKey(null);
    setMe(null);
    cache.clear();
  }, [cache]);

  const signIn = useCallback(async (key: string) => {
    cache.clear();
    setApiKey(key, signOut);
    try {
      const who = await api.get<Me>('/v1/me');
      if (who.timeZone) setTimeZone(who.timeZone); // the shop's zone: times show in it
      setMe(who);
      sessionStorage.setItem(STORAGE_KEY, key);
    } catch (error) {
      setApiKey(null);
      throw error;
    }
  }, [signOut, cache, setTimeZone]);

  useEffect(() => {
    const saved = sessionStorage.getItem(STORAGE_KEY);
    if (saved) signIn(saved).catch(signOut).finally(() => setRestoring(false));
  }, [signIn, signOut]);

  const canWrite = useCallback((area: Area) => (me ? WRITES[me.role].includes(area) : false), [me]);
  return <SessionContext.Provider value={{ me, restoring, signIn, signOut, canWrite }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
