import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { NavLink } from '@/components/nav-link';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Profiles', template: '%s · Profiles' },
  description: 'Profiles, their images, background tasks and the health of the service',
  icons: { icon: '/favicon.svg' },
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <Link href="/profiles" className="brand">
            Profile Service
          </Link>
          <nav aria-label="Main">
            <ul>
              <li>
                <NavLink href="/profiles">Profiles</NavLink>
              </li>
              <li>
                <NavLink href="/profiles/new">New profile</NavLink>
              </li>
              <li>
                <NavLink href="/tasks">Tasks</NavLink>
              </li>
              <li>
                <NavLink href="/system">System</NavLink>
              </li>
            </ul>
          </nav>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </body>
    </html>
  );
}
