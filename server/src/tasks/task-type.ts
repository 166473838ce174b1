import type { TSchema } from 'typebox';

export type RetryPolicy = { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };

export type TaskContext = {
  /** Aborted when the worker must give the task up (its lease was lost). */
  signal: AbortSignal;
  attempt: number;
  taskId: string;
};

/** A failure that no retry can mend (e.g. the profile does not exist): the task fails at once. */
export class PermanentTaskError extends Error {
  override readonly name = 'PermanentTaskError';
}

/** One typed unit of work: a name, its payload schema, its retry policy and an idempotent handler. */
export type TaskType = {
  name: string;
  summary: string;
  payload: TSchema;
  /** The payload used when the request gives none. */
  defaultPayload: Record<string, unknown>;
  retry: RetryPolicy;
  /** Scheduled by the service itself, never accepted from the API. */
  internal?: boolean;
  /**
   * Who may submit it: admins only, or also the owner of the profile its payload's `profile_id`
   * names (a task that acts on one person's data).
   */
  submitters: 'admins' | 'profile-owner';
  run(payload: Record<string, unknown>, ctx: TaskContext): Promise<unknown>;
};

/** A task type's declaration, its handler made from what it needs (`D`). */
export type TaskUnit<D> = Omit<TaskType, 'run'> & { handler(deps: D): TaskType['run'] };

export const STANDARD_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 60_000 };

/** Exponential backoff with full jitter: a uniform delay in [0, min(max, base·2^(attempt−1))]. */
export function backoffMs(policy: RetryPolicy, attempt: number, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}
