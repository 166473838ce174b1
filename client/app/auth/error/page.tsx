import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Sign-in failed' };

// Known reasons only: the query never puts text of its own on the page.
const REASONS: Record<string, string> = {
  unavailable: 'The sign-in service cannot be reached right now.',
  expired: 'The sign-in took too long, or was started in another tab.',
  denied: 'The sign-in was cancelled.',
  refused: 'The sign-in service did not accept the sign-in.',
};

export default async function SignInError({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const { reason } = await searchParams;
  return (
    <>
      <h1>Sign-in failed</h1>
      <p>{REASONS[reason ?? ''] ?? 'Something went wrong while signing in.'}</p>
      <p>
        <a className="button primary" href="/auth/login">
          Try again
        </a>
      </p>
    </>
  );
}
