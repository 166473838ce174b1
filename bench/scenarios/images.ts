// "images upload": uploads of a 0.5, a 2 and an 8 MP JPEG through the API (multipart, magic bytes, header check, the sharp
// work, hashing, storage on the local filesystem, the row and the profile's new version) against the sharp
// work alone on the same file (bench/baselines/sharp-raw.ts), which is the floor of what an upload costs.
// The service is the run's "service" instance (IMAGE_CONCURRENCY defaults to the CPU count; the baseline
// uses the same count). Each upload goes to another seeded profile, so every one is a new image (201),
// never the duplicate path; the objects themselves are the same bytes each time, as content addressing
// makes them. Uploaded as an admin, who may add images to any profile; raw sharp takes no token.
// Interleaved rounds, best kept: baseline, service, baseline, service…
import { writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageForm, photoJpeg } from '../../server/test/kit/images.js';
import { adminHeaders } from '../lib/identity.js';
import { failedNote, failures, keepBest, type LoadResult, runLoad } from '../lib/load.js';
import type { Running } from '../lib/proc.js';
import type { Resources } from '../lib/resources.js';
import { fixed } from '../lib/table.js';
import { baselineJob } from '../lib/targets.js';

export const IMAGE_PART = 'images upload';
/** Uploads in flight: enough to keep the service's processing slots busy while bodies arrive. */
export const CONNECTIONS = 4;
export const imageTarget = { label: '≥ 0.8× raw sharp', bound: 0.8 };

type Raw = { images: number; seconds: number; perSec: number; p50: number; p99: number; concurrency: number };
type Photo = { file: string; bytes: Buffer; width: number; height: number };
type Form = ReturnType<typeof imageForm>;
/** headers: the form's content type and an admin's token. */
type Upload = { headers: Record<string, string>; form: Form; nextPath: () => string };

export type ImagesResult = {
  fixture: { width: number; height: number; bytes: number };
  concurrency: number;
  service: LoadResult;
  raw: Raw;
  ratio: number;
  met: boolean;
  warnings: string[];
};

/** Phone-like photos, stored sideways with EXIF orientation 6: how cost grows with the pixels. */
export const IMAGE_SIZES = [
  { label: '0.5 MP', width: 816, height: 612 },
  { label: '2 MP', width: 1632, height: 1224 },
  { label: '8 MP', width: 3264, height: 2448 },
] as const;

async function fixture(size: (typeof IMAGE_SIZES)[number]): Promise<Photo> {
  const { width, height } = size;
  const bytes = await photoJpeg(width, height, 1, 6);
  const file = join(tmpdir(), `profiles-bench-photo-${width}x${height}.jpg`);
  writeFileSync(file, bytes);
  return { file, bytes, width, height };
}

async function rawRound(res: Resources, photo: Photo, concurrency: number, round: number): Promise<Raw> {
  const { durationSec, warmupSec } = res.config;
  process.stdout.write(`${IMAGE_PART} → sharp-raw (round ${round + 1}) … `);
  const env = {
    FILE: photo.file,
    CONCURRENCY: String(concurrency),
    DURATION: String(durationSec),
    WARMUP: String(warmupSec),
  };
  const job = baselineJob(res, 'sharp-raw', env, (durationSec + warmupSec) * 1000 + 60_000);
  const raw = JSON.parse(await job.output) as Raw;
  console.log(`${fixed(raw.perSec, 1)} images/s, p99 ${fixed(raw.p99)} ms`);
  return raw;
}

async function serviceRound(
  res: Resources,
  service: Running,
  upload: Upload,
  round: number,
): Promise<LoadResult> {
  const { durationSec, warmupSec } = res.config;
  const { headers, form, nextPath } = upload;
  process.stdout.write(`${IMAGE_PART} → ${service.name} (round ${round + 1}) … `);
  const r = await runLoad(
    service.url,
    {
      method: 'POST',
      path: nextPath(),
      headers,
      body: form.body,
      next: () => ({ path: nextPath() }),
    },
    { connections: CONNECTIONS, durationSec, warmupSec, timeoutSec: 60 },
  );
  console.log(`${fixed(r.rps, 1)} uploads/s, p99 ${fixed(r.p99)} ms${failedNote(r)}`);
  return r;
}

/** `ids` are the seeded profiles; each upload takes the next one (never the same profile twice). */
export async function runImages(
  res: Resources,
  service: Running,
  ids: readonly string[],
): Promise<ImagesResult[]> {
  let next = 0;
  const nextPath = () => `/api/v1/profiles/${ids[next++ % ids.length]}/images`;
  const results: ImagesResult[] = [];
  for (const size of IMAGE_SIZES) results.push(await runSize(res, service, await fixture(size), nextPath));
  return results;
}

async function runSize(
  res: Resources,
  service: Running,
  photo: Photo,
  nextPath: () => string,
): Promise<ImagesResult> {
  const concurrency = availableParallelism();
  const form = imageForm(photo.bytes);
  console.log(
    `images: ${photo.width}×${photo.height} JPEG (${fixed(photo.bytes.length / 1_048_576, 2)} MiB, orientation 6), ` +
      `${CONNECTIONS} uploads in flight vs raw sharp ${concurrency} at a time`,
  );
  const headers = { 'content-type': form.contentType, ...(await adminHeaders()) };

  // The first upload must work, or nothing after it means anything.
  const probe = await fetch(`${service.url}${nextPath()}`, { method: 'POST', headers, body: form.body });
  if (probe.status !== 201)
    throw new Error(`images: probe upload answered ${probe.status}: ${await probe.text()}`);

  let best: LoadResult | undefined;
  let bestRaw: Raw | undefined;
  for (let round = 0; round < res.config.rounds; round++) {
    const raw = await rawRound(res, photo, concurrency, round);
    if (!bestRaw || raw.perSec > bestRaw.perSec) bestRaw = raw;
    best = keepBest(best, await serviceRound(res, service, { headers, form, nextPath }, round));
  }
  return result(photo, concurrency, best as LoadResult, bestRaw as Raw);
}

function result(photo: Photo, concurrency: number, service: LoadResult, raw: Raw): ImagesResult {
  const warnings: string[] = [];
  if (failures(service) > 0) {
    warnings.push(
      `uploads failed: ${JSON.stringify(service.statusCodes)}, ${service.errors} connection errors`,
    );
  }
  const ratio = service.rps / raw.perSec;
  return {
    fixture: { width: photo.width, height: photo.height, bytes: photo.bytes.length },
    concurrency,
    service,
    raw,
    ratio,
    met: ratio >= imageTarget.bound,
    warnings,
  };
}
