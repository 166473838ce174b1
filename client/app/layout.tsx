import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import { type ReactNode, Suspense } from 'react';
import { AccountMenu } from '@/components/account-menu';
import { MainNav } from '@/components/main-nav';
import { LiveProvider } from '@/lib/live/live-context';
import { pageUser } from '@/lib/server/page-user';
import { SessionProvider } from '@/lib/session-context';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Profiles', template: '%s · Profiles' },
  description: 'Profiles, their images, background tasks and the health of the service',
  icons: { icon: '/favicon.svg' },
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await pageUser();
  return (
    <html lang="en">
      <body>
        <SessionProvider user={user}>
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <header className="site-header">
            <Link href="/profiles" className="brand">
              Profile Service
            </Link>
            <MainNav />
            <Suspense fallback={null}>
              <AccountMenu />
            </Suspense>
          </header>
          <main id="main" tabIndex={-1}>
            <LiveProvider>{children}</LiveProvider>
          </main>
        </SessionProvider>
      </body>
    </html>
  );
}
