'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { CreateProfile } from '@/components/create-profile';
import { SignInPrompt } from '@/components/sign-in-prompt';
import { ErrorBox, Loading } from '@/components/states';
import { useSession } from '@/lib/session-context';

/** "My profile": opens the signed-in person's own, or offers to create it (one per person). */
export default function MyProfilePage() {
  const { user, me, meError, reloadMe } = useSession();
  const router = useRouter();
  useEffect(() => {
    if (me) router.replace(`/profiles/${me.id}`);
  }, [me, router]);

  if (!user)
    return (
      <>
        <h1>My profile</h1>
        <SignInPrompt>Sign in to see your profile.</SignInPrompt>
      </>
    );
  if (meError) return <ErrorBox error={meError} retry={reloadMe} />;
  if (me !== null) return <Loading label="Loading your profile…" />;
  return (
    <>
      <h1>My profile</h1>
      <p>You have no profile yet. Create it: others will see your name, bio and images, never your email.</p>
      <CreateProfile
        initial={{ name: user.name, email: user.email, bio: '' }}
        owner={user.sub}
        onCreated={reloadMe}
      />
    </>
  );
}
