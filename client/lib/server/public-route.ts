import 'server-only';
import { settings } from './config';
import { apiTarget, forward, problem } from './forward';

/** A route handler for what the API serves to anyone (media, readiness, metrics): no token goes. */
export function publicPassThrough(prefix: string) {
  return (request: Request): Promise<Response> | Response => {
    const target = apiTarget(settings().apiUrl, request.url, prefix);
    return target ? forward(request, target) : problem(404, 'not_found', 'No such path');
  };
}
