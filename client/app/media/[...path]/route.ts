import { publicPassThrough } from '@/lib/server/public-route';

// Images are public and served immutable by the API (or a CDN in front of it).
const handle = publicPassThrough('/media/');

export { handle as GET, handle as HEAD };
