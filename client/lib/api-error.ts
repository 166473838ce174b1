import type { FieldError, Problem } from './api';

/** The API's codes, and the client's own for answers that never came or were not the API's. */
export type ErrorCode = Problem['code'] | 'http_error' | 'network' | 'aborted' | 'unknown' | 'metrics';

/** A problem (application/problem+json) from the API, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The first message for each field, for showing beside the inputs. */
  byField(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.errors) out[e.field] ??= e.message;
    return out;
  }
}

export async function toApiError(res: Response): Promise<ApiError> {
  let problem: Partial<Problem> = {};
  try {
    problem = (await res.json()) as Partial<Problem>;
  } catch {
    // not JSON (a proxy's error page): the status says enough
  }
  return new ApiError(
    res.status,
    problem.code ?? 'http_error',
    problem.detail ?? `The server answered ${res.status} ${res.statusText}`,
    problem.errors ?? [],
    problem.request_id,
  );
}

/** What a failed call threw, as an ApiError (anything else is a bug, shown as one). */
export const asApiError = (err: unknown) =>
  err instanceof ApiError ? err : new ApiError(0, 'unknown', String(err));
