'use client';

import Link from 'next/link';
import { CreateProfile } from '@/components/create-profile';
import { SignInPrompt } from '@/components/sign-in-prompt';
import { useSession } from '@/lib/session-context';

/** Admins create profiles for anyone here (unowned: only admins change them); others have /me. */
export default function NewProfilePage() {
  const { user } = useSession();
  return (
    <>
      <p>
        <Link href="/profiles">← All profiles</Link>
      </p>
      <h1>New profile</h1>
      {!user && <SignInPrompt>Sign in to create a profile.</SignInPrompt>}
      {user && !user.admin && (
        <p>
          Everyone has one profile of their own: see <Link href="/me">My profile</Link>.
        </p>
      )}
      {user?.admin && <CreateProfile initial={{ name: '', email: '', bio: '' }} />}
    </>
  );
}
