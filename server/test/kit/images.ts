import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';

/** A picture with detail in it (smooth gradients plus noise), so that encoders have real work. */
export function picture(width: number, height: number, seed = 1): Sharp {
  const raw = Buffer.alloc(width * height * 3);
  let n = seed;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      n = (n * 1103515245 + 12345) & 0x7fffffff;
      const i = (y * width + x) * 3;
      raw[i] = ((x * 255) / width + (n & 15)) & 255;
      raw[i + 1] = ((y * 255) / height + ((n >> 4) & 15)) & 255;
      raw[i + 2] = ((x + y + seed * 37) & 255) ^ ((n >> 8) & 7);
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } });
}

/**
 * A photo-sized JPEG: gradients plus sensor-like noise, so it weighs what a phone's photo does;
 * with an EXIF orientation when one is given (6: stored sideways, as phones do in portrait).
 */
export async function photoJpeg(
  width: number,
  height: number,
  seed = 1,
  orientation?: number,
): Promise<Buffer> {
  const noise = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#000',
      noise: { type: 'gaussian', mean: 0, sigma: 30 },
    },
  })
    .png({ compressionLevel: 1 })
    .toBuffer();
  return picture(width, height, seed)
    .composite([{ input: noise, blend: 'add' }])
    .jpeg({ quality: 90 })
    .withMetadata(orientation ? { orientation } : {})
    .toBuffer();
}

/** A JPEG carrying GPS coordinates, a camera make and an EXIF orientation (6: rotate 90° clockwise). */
export async function jpegWithGps(width: number, height: number, orientation = 6, seed = 1) {
  return picture(width, height, seed)
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'Locator 3000', Copyright: 'test' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 2615/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 3960/100',
      },
    })
    .withMetadata({ orientation })
    .toBuffer();
}

export const makeImage = {
  jpeg: (w = 320, h = 240, seed = 1) => picture(w, h, seed).jpeg().toBuffer(),
  png: (w = 320, h = 240, seed = 1) => picture(w, h, seed).png().toBuffer(),
  webp: (w = 320, h = 240, seed = 1) => picture(w, h, seed).webp().toBuffer(),
  avif: (w = 160, h = 120, seed = 1) => picture(w, h, seed).avif({ effort: 0 }).toBuffer(),
  gif: (w = 160, h = 120, seed = 1) => picture(w, h, seed).gif().toBuffer(),
};

/** An animated GIF of `frames` frames, each w×h. */
export async function animatedGif(w: number, h: number, frames: number): Promise<Buffer> {
  const strip = await picture(w, h * frames, 3)
    .raw()
    .toBuffer();
  return sharp(strip, { raw: { width: w, height: h * frames, channels: 3, pageHeight: h } })
    .gif({ loop: 0 })
    .toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0);
  return Buffer.concat([head, data, crc]);
}

/** A valid PNG header claiming width×height, with almost no pixel data: a decompression bomb's calling card. */
export function pngHeaderClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    // A first scanline's worth of compressed zeros; the rest is missing, as a bomb would inflate it.
    pngChunk('IDAT', deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Inserts a tEXt chunk right after IHDR: a PNG that is also an HTML page to a sniffing browser. */
export function pngWithText(png: Buffer, text: string): Buffer {
  const afterIhdr = 8 + 8 + 13 + 4;
  return Buffer.concat([
    png.subarray(0, afterIhdr),
    pngChunk('tEXt', Buffer.from(`Comment\0${text}`, 'latin1')),
    png.subarray(afterIhdr),
  ]);
}

/** An empty ZIP archive (its end-of-central-directory record alone): appended, it makes a GIFAR-style polyglot. */
export const EMPTY_ZIP = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);

/** A multipart/form-data body with one file part (and optional text fields before it). */
export function multipart(
  parts: { name: string; filename?: string; contentType?: string; data: Buffer | string }[],
): { body: Buffer; contentType: string } {
  const boundary = `----test${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition =
      p.filename === undefined
        ? `form-data; name="${p.name}"`
        : `form-data; name="${p.name}"; filename="${p.filename}"`;
    const headers = [`Content-Disposition: ${disposition}`];
    if (p.contentType) headers.push(`Content-Type: ${p.contentType}`);
    chunks.push(Buffer.from(`--${boundary}\r\n${headers.join('\r\n')}\r\n\r\n`));
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The one-file form the API expects: part "image". */
export const imageForm = (data: Buffer, filename = 'photo.jpg', contentType = 'image/jpeg') =>
  multipart([{ name: 'image', filename, contentType, data }]);

/**
 * A GIF of `frames` frames of width×height whose pixel data is a single pixel each: a few dozen
 * bytes whose header promises width×height×frames pixels.
 */
export function gifCanvas(width: number, height: number, frames: number): Buffer {
  const screen = Buffer.alloc(7);
  screen.writeUInt16LE(width, 0);
  screen.writeUInt16LE(height, 2);
  screen.set([0x80, 0, 0], 4); // a global colour table of 2 entries
  const descriptor = Buffer.from([0x2c, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  descriptor.writeUInt16LE(width, 5);
  descriptor.writeUInt16LE(height, 7);
  const frame = Buffer.concat([
    Buffer.from('21f90400' + '0a000000', 'hex'), // graphic control: 100 ms delay
    descriptor,
    Buffer.from('0202440100', 'hex'), // LZW: minimum code size 2, one pixel, end
  ]);
  return Buffer.concat([
    Buffer.from('GIF89a', 'latin1'),
    screen,
    Buffer.from([0, 0, 0, 255, 255, 255]),
    Buffer.from([0x21, 0xff, 0x0b, ...Buffer.from('NETSCAPE2.0'), 0x03, 0x01, 0x00, 0x00, 0x00]),
    ...Array.from({ length: frames }, () => frame),
    Buffer.from([0x3b]),
  ]);
}
