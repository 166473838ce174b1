import type { ImageFormat } from './sniff.js';

/**
 * The parts of an image file that are not compressed pixel data: headers, metadata and comment
 * segments, and the start of anything appended after the image ends. Markup hidden in a file lives
 * there; compressed data is random-looking and would match a short pattern like `<svg ` by chance
 * in about one 10 MB upload of a thousand, so it is not searched. Undefined when the structure does
 * not parse (the caller then searches everything).
 */
export function textRegions(buf: Buffer, format: ImageFormat): Buffer[] | undefined {
  try {
    switch (format) {
      case 'jpeg':
        return jpeg(buf);
      case 'png':
        return png(buf);
      case 'gif':
        return gif(buf);
      case 'webp':
        return webp(buf);
      case 'avif':
        return isoBoxes(buf);
    }
  } catch {
    return undefined;
  }
}

/** Appended data is searched in its first 64 KiB: a trailer, not a second image or a video, is text. */
const TRAILER_SCAN = 64 * 1024;
const trailer = (buf: Buffer, from: number) => buf.subarray(from, from + TRAILER_SCAN);

function need(ok: boolean): void {
  if (!ok) throw new Error('malformed');
}

/** Markers with a length (every one but SOI, EOI, RSTn, TEM); entropy-coded data follows SOS. */
function jpeg(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 2;
  let inScan = false;
  while (at < buf.length) {
    if (inScan) {
      // In entropy-coded data a 0xFF is followed by 0x00 (a stuffed byte) or RSTn; anything else is a marker.
      at = buf.indexOf(0xff, at);
      if (at < 0 || at + 1 >= buf.length) return out; // truncated: the decoder will say so
      const next = buf[at + 1] as number;
      if (next === 0x00 || next === 0xff || (next >= 0xd0 && next <= 0xd7)) {
        at += next === 0xff ? 1 : 2;
        continue;
      }
      inScan = false;
    }
    need(buf[at] === 0xff && at + 1 < buf.length);
    const marker = buf[at + 1] as number;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd9) {
      out.push(trailer(buf, at + 2));
      return out;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    need(at + 4 <= buf.length);
    const length = buf.readUInt16BE(at + 2);
    need(length >= 2);
    out.push(buf.subarray(at + 4, at + 2 + length));
    at += 2 + length;
    if (marker === 0xda) inScan = true;
  }
  return out;
}

/** Every chunk but the compressed pixels (IDAT, and fdAT in animated PNGs). */
function png(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 8;
  while (at + 12 <= buf.length) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const end = at + 12 + length;
    need(end <= buf.length);
    if (type !== 'IDAT' && type !== 'fdAT') out.push(buf.subarray(at + 8, at + 8 + length));
    at = end;
    if (type === 'IEND') {
      out.push(trailer(buf, at));
      return out;
    }
  }
  return out;
}

/** Sub-blocks from `at`; returns their content (when kept) and the offset after the terminator. */
function subBlocks(buf: Buffer, at: number, keep: boolean, out: Buffer[]): number {
  for (;;) {
    need(at < buf.length);
    const size = buf[at] as number;
    if (size === 0) return at + 1;
    if (keep) out.push(buf.subarray(at + 1, at + 1 + size));
    at += 1 + size;
  }
}

/** Extensions (comments, application data, plain text) but not the LZW image data. */
function gif(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  need(buf.length >= 13);
  const flags = buf[10] as number;
  let at = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 7) + 1) : 0);
  while (at < buf.length) {
    const block = buf[at];
    if (block === 0x3b) {
      out.push(trailer(buf, at + 1));
      return out;
    }
    if (block === 0x21) {
      at = subBlocks(buf, at + 2, true, out);
    } else {
      need(block === 0x2c && at + 10 <= buf.length);
      const local = buf[at + 9] as number;
      at += 10 + (local & 0x80 ? 3 * 2 ** ((local & 7) + 1) : 0);
      at = subBlocks(buf, at + 1, false, out); // +1: the LZW minimum code size
    }
  }
  return out;
}

/** RIFF chunks but the bitstreams (VP8, VP8L, ALPH, and animation frames). */
function webp(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  const riffEnd = Math.min(buf.length, 8 + buf.readUInt32LE(4));
  let at = 12;
  while (at + 8 <= riffEnd) {
    const type = buf.toString('latin1', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    if (!['VP8 ', 'VP8L', 'ALPH', 'ANMF'].includes(type)) out.push(buf.subarray(at + 8, at + 8 + size));
    at += 8 + size + (size & 1);
  }
  out.push(trailer(buf, riffEnd));
  return out;
}

/** ISO-BMFF top-level boxes but the media data (mdat). */
function isoBoxes(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at + 8 <= buf.length) {
    let size = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      need(at + 16 <= buf.length);
      size = Number(buf.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) {
      size = buf.length - at;
    }
    need(size >= header);
    if (type !== 'mdat') out.push(buf.subarray(at + header, at + size));
    at += size;
  }
  return out;
}
