import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page not found' };

/** Any path the client has no page for: in the site's own frame, with the ways back. */
export default function NotFound() {
  return (
    <section className="not-found" aria-labelledby="not-found-heading">
      <h1 id="not-found-heading">Page not found</h1>
      <p>There is no page at this address. It may have moved, or the link may be mistyped.</p>
      <p className="actions">
        <Link className="button primary" href="/profiles">
          All profiles
        </Link>
        <Link className="button" href="/">
          Home
        </Link>
      </p>
    </section>
  );
}
