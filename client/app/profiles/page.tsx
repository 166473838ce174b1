import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Loading } from '@/components/states';
import { ProfileList } from './profile-list';

export const metadata: Metadata = { title: 'Profiles' };

export default function ProfilesPage() {
  return (
    <>
      <h1>Profiles</h1>
      <Suspense fallback={<Loading />}>
        <ProfileList />
      </Suspense>
    </>
  );
}
