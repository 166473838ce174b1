import type { ReactNode } from 'react';
import type { ApiError } from '@/lib/api';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}

export function ErrorBox({ error, retry }: { error: ApiError | Error; retry?: () => void }) {
  const requestId = 'requestId' in error ? error.requestId : undefined;
  return (
    <div className="state state-error" role="alert">
      <p>
        <strong>Something went wrong.</strong> {error.message}
      </p>
      {requestId && <p className="muted">Request id: {requestId}</p>}
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Why a form was refused: its fields' errors show beside them, anything else is said here. */
export function FormErrorNotice({ error }: { error: ApiError }) {
  return (
    <Notice kind="error">
      {error.errors.length > 0 ? 'Please correct the fields marked below.' : error.message}
    </Notice>
  );
}

/** A short message announced to screen readers when it changes. */
export function Notice({ kind, children }: { kind: 'success' | 'error' | 'info'; children: ReactNode }) {
  return (
    <p className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </p>
  );
}
