import Link from 'next/link';

export function ProfileNotFound() {
  return (
    <>
      <h1>Profile not found</h1>
      <p>
        It may have been deleted. <Link href="/profiles">Back to all profiles</Link>
      </p>
    </>
  );
}
