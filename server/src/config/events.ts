import { duration, type Env, int } from './env.js';

export type EventsConfig = Readonly<{
  /** How long relayed events are kept for streams that reconnect (Last-Event-ID). */
  retentionMs: number;
  /** Open event streams at most, in all and per caller (subject, or address when anonymous). */
  maxStreams: number;
  maxPerCaller: number;
  /** A comment line this often keeps an idle stream open through proxies. */
  heartbeatMs: number;
  /** The most events a reconnecting stream is sent to catch up; beyond, it is told to reload. */
  replayMax: number;
}>;

export function eventsConfig(env: Env): EventsConfig {
  return Object.freeze({
    retentionMs: duration(env, 'EVENTS_RETENTION', '1h', 7 * 86_400_000),
    maxStreams: int(env, 'SSE_MAX_STREAMS', 1000, 1, 1_000_000),
    maxPerCaller: int(env, 'SSE_MAX_PER_CALLER', 5, 1, 1000),
    heartbeatMs: duration(env, 'SSE_HEARTBEAT', '15s', 300_000),
    replayMax: int(env, 'SSE_REPLAY_MAX', 1000, 1, 100_000),
  });
}
