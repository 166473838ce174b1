'use client';

import { usePathname } from 'next/navigation';

/** What a signed-out visitor sees where signing in is needed: why, and the way back here after. */
export function SignInPrompt({ children }: { children: React.ReactNode }) {
  const path = usePathname();
  return (
    <div className="state state-empty">
      <p>{children}</p>
      <a className="button primary" href={`/auth/login?returnTo=${encodeURIComponent(path)}`}>
        Sign in
      </a>
    </div>
  );
}
