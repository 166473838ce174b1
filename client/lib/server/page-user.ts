import 'server-only';
import { headers } from 'next/headers';
import type { User } from '@/lib/user';
import { settings } from './config';
import { publicOrigin } from './request-guard';
import { readSession } from './session';
import { userOf } from './session-data';

/**
 * Who is signed in, for rendering a page (which cannot set cookies, so nothing is refreshed here:
 * the proxy refreshes on the page's first API call). A session that can no longer be refreshed is
 * shown as signed out.
 */
export async function pageUser(): Promise<User | undefined> {
  const origin = publicOrigin(await headers(), settings().clientOrigin);
  const session = await readSession(origin);
  if (!session) return undefined;
  if (!session.refreshToken && session.expiresAt <= Date.now() / 1000) return undefined;
  return userOf(session);
}
