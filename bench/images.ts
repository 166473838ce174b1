// Image benchmark: uploads of one 2 MP JPEG through the API (multipart, magic bytes, header check,
// the sharp work, hashing, storage on the local filesystem, the row and the profile's new version)
// against the sharp work alone on the same file (bench/baselines/sharp-raw.ts), in one run.
//
// Part (BENCH_ONLY matches its name as a substring): "images upload". The service is run.ts's
// "service" instance (IMAGE_CONCURRENCY defaults to the CPU count; the baseline uses the same count).
// Each upload goes to another seeded profile, so every one is a new image (201), never the duplicate
// path; the objects themselves are the same bytes each time, as content addressing makes them.
// Interleaved rounds, best kept: baseline, service, baseline, service…
// Target: upload throughput ≥ 0.8× the raw sharp throughput.
import { writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageForm, photoJpeg } from '../server/test/helpers/images.js';
import { failures, type LoadResult, runLoad } from './lib/load.js';
import { baseEnv, type Running, type Stoppable, spawnJob } from './lib/proc.js';
import { fixed, formatTable } from './lib/table.js';

export const IMAGE_PART = 'images upload';
/** Uploads in flight: enough to keep the service's processing slots busy while bodies arrive. */
const CONNECTIONS = 4;
export const imageTarget = { label: '≥ 0.8× raw sharp', bound: 0.8 };

export type ImagesOptions = {
  root: string;
  service: Running;
  /** Seeded profile ids; each upload takes the next one. */
  ids: readonly string[];
  durationSec: number;
  warmupSec: number;
  rounds: number;
  track: (child: Stoppable) => void;
};

type Raw = { images: number; seconds: number; perSec: number; p50: number; p99: number; concurrency: number };

export type ImagesResult = {
  fixture: { width: number; height: number; bytes: number };
  concurrency: number;
  service: LoadResult;
  raw: Raw;
  ratio: number;
  met: boolean;
  warnings: string[];
};

/** A phone-like 2 MP photo (the tests' generator), stored sideways with EXIF orientation 6. */
async function fixture(): Promise<{ file: string; bytes: Buffer; width: number; height: number }> {
  const width = 1632;
  const height = 1224;
  const bytes = await photoJpeg(width, height, 1, 6);
  const file = join(tmpdir(), 'profiles-bench-photo-2mp.jpg');
  writeFileSync(file, bytes);
  return { file, bytes, width, height };
}

export async function runImages(opts: ImagesOptions): Promise<ImagesResult> {
  const photo = await fixture();
  const concurrency = availableParallelism();
  const form = imageForm(photo.bytes);
  console.log(
    `images: ${photo.width}×${photo.height} JPEG (${fixed(photo.bytes.length / 1_048_576, 2)} MiB, orientation 6), ` +
      `${CONNECTIONS} uploads in flight vs raw sharp ${concurrency} at a time`,
  );
  let next = 0;
  const nextPath = () => {
    const id = opts.ids[next++ % opts.ids.length];
    return `/api/v1/profiles/${id}/images`;
  };

  // The first upload must work, or nothing after it means anything.
  const probe = await fetch(`${opts.service.url}${nextPath()}`, {
    method: 'POST',
    headers: { 'content-type': form.contentType },
    body: form.body,
  });
  if (probe.status !== 201)
    throw new Error(`images: probe upload answered ${probe.status}: ${await probe.text()}`);

  let best: LoadResult | undefined;
  let bestRaw: Raw | undefined;
  for (let round = 0; round < opts.rounds; round++) {
    process.stdout.write(`${IMAGE_PART} → sharp-raw (round ${round + 1}) … `);
    const job = spawnJob({
      name: 'sharp-raw',
      args: ['--import', 'tsx', 'bench/baselines/sharp-raw.ts'],
      cwd: opts.root,
      env: {
        ...baseEnv(),
        FILE: photo.file,
        CONCURRENCY: String(concurrency),
        DURATION: String(opts.durationSec),
        WARMUP: String(opts.warmupSec),
      },
      timeoutMs: (opts.durationSec + opts.warmupSec) * 1000 + 60_000,
    });
    opts.track(job);
    const raw = JSON.parse(await job.output) as Raw;
    console.log(`${fixed(raw.perSec, 1)} images/s, p99 ${fixed(raw.p99)} ms`);
    if (!bestRaw || raw.perSec > bestRaw.perSec) bestRaw = raw;

    process.stdout.write(`${IMAGE_PART} → ${opts.service.name} (round ${round + 1}) … `);
    const r = await runLoad(
      opts.service.url,
      {
        method: 'POST',
        path: nextPath(),
        headers: { 'content-type': form.contentType },
        body: form.body,
        next: () => ({ path: nextPath() }),
      },
      { connections: CONNECTIONS, durationSec: opts.durationSec, warmupSec: opts.warmupSec, timeoutSec: 60 },
    );
    console.log(
      `${fixed(r.rps, 1)} uploads/s, p99 ${fixed(r.p99)} ms${failures(r) ? `, ${failures(r)} FAILED` : ''}`,
    );
    if (!best || (failures(best) === 0 && (failures(r) > 0 || r.rps > best.rps))) best = r;
  }
  const service = best as LoadResult;
  const raw = bestRaw as Raw;
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

export function reportImages(r: ImagesResult): string {
  return formatTable(
    [
      { header: `${IMAGE_PART} (${r.fixture.width}×${r.fixture.height} JPEG)` },
      { header: 'per s', align: 'right' },
      { header: 'p50 ms', align: 'right' },
      { header: 'p99 ms', align: 'right' },
      { header: 'vs raw', align: 'right' },
      { header: `target ${imageTarget.label}` },
    ],
    [
      [
        `service: POST …/images, ${CONNECTIONS} in flight`,
        fixed(r.service.rps, 1),
        fixed(r.service.p50),
        fixed(r.service.p99),
        `${fixed(r.ratio)}×`,
        r.met ? 'met' : 'NOT MET',
      ],
      [
        `raw sharp, ${r.concurrency} at a time`,
        fixed(r.raw.perSec, 1),
        fixed(r.raw.p50),
        fixed(r.raw.p99),
        '',
        '',
      ],
    ],
  );
}
