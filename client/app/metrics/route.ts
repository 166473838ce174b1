import { publicPassThrough } from '@/lib/server/public-route';

// The API's Prometheus metrics, for the system page.
export const GET = publicPassThrough('/metrics');
