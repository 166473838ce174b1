export const formatBytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1_048_576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1_048_576).toFixed(1)} MiB`;

export const formatTime = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');
