export const formatBytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1_048_576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1_048_576).toFixed(1)} MiB`;

export const formatTime = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/** A message from the API ("must not be empty") as a sentence: capitalised, ending in a stop. */
export const sentence = (message: string) =>
  `${message.charAt(0).toUpperCase()}${message.slice(1)}${/[.!?]$/.test(message) ? '' : '.'}`;
