import { textRegions } from './regions.js';

/** The image formats accepted, as told by their magic bytes (never by the client's Content-Type). */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif';

export const FORMATS: Record<ImageFormat, { contentType: string; ext: string }> = {
  jpeg: { contentType: 'image/jpeg', ext: 'jpg' },
  png: { contentType: 'image/png', ext: 'png' },
  webp: { contentType: 'image/webp', ext: 'webp' },
  gif: { contentType: 'image/gif', ext: 'gif' },
  avif: { contentType: 'image/avif', ext: 'avif' },
};

const startsWith = (buf: Buffer, bytes: number[], at = 0) =>
  buf.length >= at + bytes.length && bytes.every((b, i) => buf[at + i] === b);
const ascii = (buf: Buffer, from: number, to: number) => buf.subarray(from, to).toString('latin1');

/** AVIF is an ISO-BMFF `ftyp` box whose major or compatible brands include avif (still) or avis (sequence). */
function isAvif(buf: Buffer): boolean {
  if (buf.length < 16 || ascii(buf, 4, 8) !== 'ftyp') return false;
  const boxSize = buf.readUInt32BE(0);
  if (boxSize < 16 || boxSize > Math.min(buf.length, 4096)) return false;
  for (let at = 8; at + 4 <= boxSize; at += 4) {
    // Offset 12 is the minor version, not a brand.
    if (at === 12) continue;
    const brand = ascii(buf, at, at + 4);
    if (brand === 'avif' || brand === 'avis') return true;
  }
  return false;
}

export function sniffImageFormat(buf: Buffer): ImageFormat | undefined {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (buf.length >= 12 && ascii(buf, 0, 4) === 'RIFF' && ascii(buf, 8, 12) === 'WEBP') return 'webp';
  if (buf.length >= 6 && (ascii(buf, 0, 6) === 'GIF87a' || ascii(buf, 0, 6) === 'GIF89a')) return 'gif';
  if (isAvif(buf)) return 'avif';
  return undefined;
}

// Markup a browser or interpreter would act on. XMP metadata is XML too, so `<?xml` and `<x:xmpmeta`
// are legitimate in images and not listed.
const MARKUP = /<(?:script|html|body|svg|iframe|object|embed|!doctype|\?php)[\s>/]/i;

/** True when a ZIP's end-of-central-directory record closes the file: a ZIP (or JAR) reader would open it. */
function endsWithZip(buf: Buffer): boolean {
  const from = Math.max(0, buf.length - 65_557);
  for (let at = buf.length - 22; at >= from; at--) {
    if (buf[at] === 0x50 && buf[at + 1] === 0x4b && buf[at + 2] === 0x05 && buf[at + 3] === 0x06) {
      // Consistent only when the comment length says the record ends exactly at the end of the file.
      if (at + 22 + buf.readUInt16LE(at + 20) === buf.length) return true;
    }
  }
  return false;
}

/**
 * Why a file that starts like an image is also something else (a polyglot), or undefined. Served as
 * an image it would be harmless once re-encoded, but a file built to be two things is refused.
 * Markup is looked for outside the compressed pixel data (see textRegions).
 */
export function polyglotReason(buf: Buffer, format: ImageFormat): string | undefined {
  for (const region of textRegions(buf, format) ?? [buf]) {
    const markup = MARKUP.exec(region.toString('latin1'));
    if (markup) return `it contains ${markup[0].slice(0, -1).toLowerCase()}> markup`;
  }
  // PDF readers accept their header anywhere in the first kilobyte.
  if (buf.toString('latin1', 0, 1024).includes('%PDF-')) return 'it is also a PDF document';
  if (endsWithZip(buf)) return 'it is also a ZIP archive';
  return undefined;
}
