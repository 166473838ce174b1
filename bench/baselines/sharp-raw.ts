// Baseline: the image work of an upload with nothing else: no HTTP, no multipart, no validation, no
// hashing, no storage, no database. The same file through the same sharp operations as the service
// (auto-orient; the original re-encoded as JPEG quality 90; a 512-wide WebP at 80; a 128×128 cover
// WebP at 75, all three at once), CONCURRENCY images at a time, for WARMUP then DURATION seconds.
// Prints one JSON line: {"images":…,"seconds":…,"perSec":…,"p50":…,"p99":…} (latencies in ms).
//   FILE=photo.jpg CONCURRENCY=2 DURATION=10 node --import tsx bench/baselines/sharp-raw.ts
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import sharp from 'sharp';

const file = process.env.FILE;
if (!file) throw new Error('FILE: the image to process is required');
const input = readFileSync(file);
const concurrency = Number(process.env.CONCURRENCY ?? availableParallelism());
const durationMs = Number(process.env.DURATION ?? 10) * 1000;
const warmupMs = Number(process.env.WARMUP ?? 2) * 1000;
// As the service does: its operation cache is off, since every upload is new.
sharp.cache(false);

async function processOnce(): Promise<void> {
  const base = sharp(input, { failOn: 'warning' }).autoOrient();
  await Promise.all([
    base.clone().jpeg({ quality: 90 }).toBuffer(),
    base.clone().resize({ width: 512, withoutEnlargement: true }).webp({ quality: 80 }).toBuffer(),
    base.clone().resize(128, 128, { fit: 'cover' }).webp({ quality: 75 }).toBuffer(),
  ]);
}

async function run(ms: number): Promise<{ count: number; seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + ms;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      await processOnce();
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { count: latencies.length, seconds: (performance.now() - started) / 1000, latencies };
}

if (warmupMs > 0) await run(warmupMs);
const { count, seconds, latencies } = await run(durationMs);
latencies.sort((a, b) => a - b);
const at = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? 0;
process.stdout.write(
  `${JSON.stringify({ images: count, seconds, perSec: count / seconds, p50: at(50), p99: at(99), concurrency })}\n`,
);
