import 'server-only';
import { readSettings, type Settings } from './settings';

let cached: Settings | undefined;

/** The settings of this process, read once on first use (a bad value fails every request, loudly). */
export function settings(): Settings {
  cached ??= readSettings(process.env);
  return cached;
}
