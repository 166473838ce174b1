'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';

/** A navigation link that tells assistive technology (and the eye) which page is current. */
export function NavLink({
  href,
  current,
  children,
}: {
  href: string;
  current?: boolean;
  children: ReactNode;
}) {
  const path = usePathname();
  return (
    <Link href={href} aria-current={(current ?? path === href) ? 'page' : undefined}>
      {children}
    </Link>
  );
}
