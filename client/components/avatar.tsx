'use client';

import { useEffect, useState } from 'react';
import { api, type Profile } from '@/lib/api';

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join('');

/**
 * The newest image's 128×128 thumbnail, or the profile's initials. The profile lists only its
 * originals' URLs, so the thumbnail's comes from its images.
 */
export function Avatar({
  profile,
  size = 48,
}: {
  profile: Pick<Profile, 'id' | 'name' | 'image_urls'>;
  size?: number;
}) {
  const [thumb, setThumb] = useState<string | undefined>();
  const newest = profile.image_urls[0];
  useEffect(() => {
    if (!newest) {
      setThumb(undefined);
      return;
    }
    let live = true;
    api
      .get('/api/v1/profiles/{id}/images', { path: { id: profile.id } })
      .then(({ data }) => {
        if (live)
          setThumb(data.find((i) => i.url === newest)?.variants.thumbnail ?? data[0]?.variants.thumbnail);
      })
      .catch(() => {
        // the initials stay: a missing thumbnail is not worth an error here
      });
    return () => {
      live = false;
    };
  }, [profile.id, newest]);
  if (thumb) {
    // biome-ignore lint/performance/noImgElement: media are served immutable by the API or its CDN, already sized
    return <img className="avatar" src={thumb} alt="" width={size} height={size} loading="lazy" />;
  }
  return (
    <span className="avatar avatar-initials" style={{ width: size, height: size }} aria-hidden="true">
      {initials(profile.name)}
    </span>
  );
}
