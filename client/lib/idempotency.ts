// One Idempotency-Key per user action (the API replays its first answer to a retry, so a click
// repeated after a lost connection cannot create the thing twice). The key is kept only while the
// outcome is unknown; once the API has answered, the next click is a new action.

/** An answer that says what became of the request, after which a new key is due. */
export function isSettled(status: number, code?: string): boolean {
  // 0: no answer (the network); 5xx: not stored by the API; in use: the first attempt still runs.
  return status !== 0 && status < 500 && code !== 'idempotency_key_in_use';
}

/**
 * Keys for one kind of action: the same key while the same action (by its signature, e.g. the form's
 * fields) is retried without a settled answer; a new one when it changes or was answered.
 */
export function actionKeys(newKey: () => string = () => crypto.randomUUID()) {
  let current: { signature: string; key: string } | undefined;
  return {
    keyFor(signature: string): string {
      if (current?.signature !== signature) current = { signature, key: newKey() };
      return current.key;
    },
    /** The attempt's outcome: a settled one (a status of 0 is a network failure) ends the action. */
    answered(status: number, code?: string): void {
      if (isSettled(status, code)) current = undefined;
    },
  };
}

export type ActionKeys = ReturnType<typeof actionKeys>;
