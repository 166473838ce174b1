'use client';

import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { type ApiError, api, asApiError, type Profile } from '@/lib/api';
import type { User } from '@/lib/user';

type SessionState = {
  /** Who is signed in; undefined when nobody is. */
  user: User | undefined;
  /** Their own profile: undefined while it loads (or when signed out), null when they have none. */
  me: Profile | null | undefined;
  /** Why their profile could not be read (anything but "there is none"). */
  meError: ApiError | undefined;
  reloadMe: () => void;
};

const SessionContext = createContext<SessionState>({
  user: undefined,
  me: undefined,
  meError: undefined,
  reloadMe: () => {},
});

/** The signed-in person (from the server's session, never a token) and their own profile. */
export function SessionProvider({ user, children }: { user: User | undefined; children: ReactNode }) {
  const [me, setMe] = useState<Profile | null | undefined>(undefined);
  const [meError, setMeError] = useState<ApiError | undefined>();
  const [generation, setGeneration] = useState(0);
  const sub = user?.sub;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the reload signal
  useEffect(() => {
    if (!sub) return;
    let live = true;
    setMeError(undefined);
    api
      .get('/api/v1/me')
      .then(({ data }) => live && setMe(data))
      .catch((err: unknown) => {
        const e = asApiError(err);
        if (!live) return;
        if (e.status === 404) setMe(null);
        else setMeError(e);
      });
    return () => {
      live = false;
    };
  }, [sub, generation]);
  const reloadMe = useCallback(() => setGeneration((n) => n + 1), []);
  const value = { user, me: user ? me : undefined, meError, reloadMe };
  return <SessionContext value={value}>{children}</SessionContext>;
}

export const useSession = () => useContext(SessionContext);

/**
 * Whether the signed-in person may change this profile (their own; any, for an admin), or
 * undefined until their own profile is known. The API decides in the end: this only spares people
 * buttons that would be refused.
 */
export function useMayChange(profileId: string): boolean | undefined {
  const { user, me, meError } = useSession();
  if (!user) return false;
  if (user.admin) return true;
  if (me === undefined && !meError) return undefined;
  return me?.id === profileId;
}
