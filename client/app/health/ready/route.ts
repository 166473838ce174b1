import { publicPassThrough } from '@/lib/server/public-route';

// The API's readiness report, for the system page (this is not the web client's own health).
export const GET = publicPassThrough('/health/ready');
