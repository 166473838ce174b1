// The route table of the access matrix: every route of the API, what it asks, and what each kind of
// caller must get. A fixture is made fresh for each request that is allowed to change something.
import { imageForm, makeImage } from '../../kit/images.js';

export type Fixture = {
  profileId: string;
  imageId: string;
  /** A task the owner submitted, delayed so that it can still be cancelled. */
  taskId: string;
  /** The owner's export (its task's id). */
  exportId: string;
};

type Request = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
};

export type Route = {
  name: string;
  request: (f: Fixture) => Request | Promise<Request>;
  /** Whether the request changes data when it succeeds. */
  writes: boolean;
  /** Whether Authorization is ignored altogether (probes). */
  open?: boolean;
  expect: { anonymous: number; other: number; owner: number; admin: number };
};

const json = (payload: unknown) => ({ payload, headers: { 'content-type': 'application/json' } });
let n = 0;
const email = () => `matrix.${process.pid}.${Date.now()}.${n++}@example.com`;

async function upload(profileId: string): Promise<Request> {
  const form = imageForm(await makeImage.png(64, 48, 300 + (n++ % 1000)));
  return {
    method: 'POST',
    url: `/api/v1/profiles/${profileId}/images`,
    payload: form.body,
    headers: { 'content-type': form.contentType },
  };
}

export const ROUTES: Route[] = [
  {
    name: 'GET /health/ready',
    writes: false,
    open: true,
    request: () => ({ method: 'GET', url: '/health/ready' }),
    expect: { anonymous: 200, other: 200, owner: 200, admin: 200 },
  },
  {
    name: 'GET /metrics',
    writes: false,
    open: true,
    request: () => ({ method: 'GET', url: '/metrics' }),
    expect: { anonymous: 200, other: 200, owner: 200, admin: 200 },
  },
  {
    name: 'GET /api/v1/profiles',
    writes: false,
    request: () => ({ method: 'GET', url: '/api/v1/profiles' }),
    expect: { anonymous: 200, other: 200, owner: 200, admin: 200 },
  },
  {
    name: 'GET /api/v1/profiles/:id',
    writes: false,
    request: (f) => ({ method: 'GET', url: `/api/v1/profiles/${f.profileId}` }),
    expect: { anonymous: 200, other: 200, owner: 200, admin: 200 },
  },
  {
    name: 'GET /api/v1/me',
    writes: false,
    request: () => ({ method: 'GET', url: '/api/v1/me' }),
    expect: { anonymous: 401, other: 404, owner: 200, admin: 404 },
  },
  {
    name: 'POST /api/v1/profiles',
    writes: true,
    request: () => ({ method: 'POST', url: '/api/v1/profiles', ...json({ name: 'New', email: email() }) }),
    expect: { anonymous: 401, other: 201, owner: 409, admin: 201 },
  },
  {
    name: 'POST /api/v1/profiles for someone else',
    writes: true,
    request: () => ({
      method: 'POST',
      url: '/api/v1/profiles',
      ...json({ name: 'New', email: email(), owner: 'someone-else' }),
    }),
    expect: { anonymous: 401, other: 403, owner: 403, admin: 201 },
  },
  {
    name: 'PATCH /api/v1/profiles/:id',
    writes: true,
    request: (f) => ({
      method: 'PATCH',
      url: `/api/v1/profiles/${f.profileId}`,
      ...json({ bio: 'changed' }),
    }),
    expect: { anonymous: 401, other: 403, owner: 200, admin: 200 },
  },
  {
    name: 'PUT /api/v1/profiles/:id',
    writes: true,
    request: (f) => ({ method: 'PUT', url: `/api/v1/profiles/${f.profileId}`, ...json({ name: 'Renamed' }) }),
    expect: { anonymous: 401, other: 403, owner: 200, admin: 200 },
  },
  {
    name: 'DELETE /api/v1/profiles/:id',
    writes: true,
    request: (f) => ({ method: 'DELETE', url: `/api/v1/profiles/${f.profileId}` }),
    expect: { anonymous: 401, other: 403, owner: 204, admin: 204 },
  },
  {
    name: 'GET /api/v1/profiles/:id/images',
    writes: false,
    request: (f) => ({ method: 'GET', url: `/api/v1/profiles/${f.profileId}/images` }),
    expect: { anonymous: 200, other: 200, owner: 200, admin: 200 },
  },
  {
    name: 'POST /api/v1/profiles/:id/images',
    writes: true,
    request: (f) => upload(f.profileId),
    expect: { anonymous: 401, other: 403, owner: 201, admin: 201 },
  },
  {
    name: 'DELETE /api/v1/profiles/:id/images/:image_id',
    writes: true,
    request: (f) => ({ method: 'DELETE', url: `/api/v1/profiles/${f.profileId}/images/${f.imageId}` }),
    expect: { anonymous: 401, other: 403, owner: 204, admin: 204 },
  },
  {
    name: 'POST /api/v1/tasks/delayed profile.export',
    writes: true,
    request: (f) => ({
      method: 'POST',
      url: '/api/v1/tasks/delayed',
      ...json({ type: 'profile.export', payload: { profile_id: f.profileId }, delay: '1h' }),
    }),
    expect: { anonymous: 401, other: 403, owner: 202, admin: 202 },
  },
  {
    name: 'POST /api/v1/tasks/delayed profile.purge',
    writes: true,
    request: (f) => ({
      method: 'POST',
      url: '/api/v1/tasks/delayed',
      ...json({ type: 'profile.purge', payload: { profile_id: f.profileId }, delay: '1h' }),
    }),
    expect: { anonymous: 401, other: 403, owner: 202, admin: 202 },
  },
  {
    name: 'POST /api/v1/tasks/delayed echo',
    writes: true,
    request: () => ({ method: 'POST', url: '/api/v1/tasks/delayed', ...json({ type: 'echo', delay: '1h' }) }),
    expect: { anonymous: 401, other: 403, owner: 403, admin: 202 },
  },
  {
    name: 'POST /api/v1/tasks/delayed (empty: sleep)',
    writes: true,
    request: () => ({ method: 'POST', url: '/api/v1/tasks/delayed' }),
    expect: { anonymous: 401, other: 403, owner: 403, admin: 202 },
  },
  {
    name: 'GET /api/v1/tasks',
    writes: false,
    request: () => ({ method: 'GET', url: '/api/v1/tasks' }),
    expect: { anonymous: 401, other: 200, owner: 200, admin: 200 },
  },
  {
    name: 'GET /api/v1/tasks/:id',
    writes: false,
    request: (f) => ({ method: 'GET', url: `/api/v1/tasks/${f.taskId}` }),
    expect: { anonymous: 401, other: 404, owner: 200, admin: 200 },
  },
  {
    name: 'DELETE /api/v1/tasks/:id',
    writes: true,
    request: (f) => ({ method: 'DELETE', url: `/api/v1/tasks/${f.taskId}` }),
    expect: { anonymous: 401, other: 404, owner: 200, admin: 200 },
  },
  {
    name: 'GET /api/v1/exports/:id',
    writes: false,
    request: (f) => ({ method: 'GET', url: `/api/v1/exports/${f.exportId}` }),
    expect: { anonymous: 401, other: 404, owner: 200, admin: 200 },
  },
];
