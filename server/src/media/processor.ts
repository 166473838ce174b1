import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { AppError, ERRORS } from '../errors.js';
import { FORMATS, type ImageFormat, polyglotReason, sniffImageFormat } from './sniff.js';

export type Variant = 'original' | 'medium' | 'thumbnail';

/** One encoded output, keyed by the hash of its bytes. */
export type EncodedObject = { key: string; body: Buffer; contentType: string };

export type ProcessedImage = {
  format: ImageFormat;
  contentType: string;
  /** Of the cleaned original, after auto-orientation. */
  width: number;
  height: number;
  bytes: number;
  objects: Record<Variant, EncodedObject>;
};

export const THUMBNAIL_SIZE = 128;
export const MEDIUM_WIDTH = 512;

/** Content-addressed key: a two-character shard, then the sha256 of the bytes. */
export function objectKey(body: Buffer, ext: string): string {
  const hash = createHash('sha256').update(body).digest('hex');
  return `${hash.slice(0, 2)}/${hash}.${ext}`;
}

function encodeOriginal(pipeline: Sharp, format: ImageFormat): Sharp {
  switch (format) {
    case 'jpeg':
      return pipeline.jpeg({ quality: 90 });
    case 'png':
      return pipeline.png();
    case 'webp':
      return pipeline.webp({ quality: 90 });
    case 'gif':
      return pipeline.gif();
    case 'avif':
      return pipeline.avif({ quality: 60 });
  }
}

const undecodable = (detail: string) =>
  ERRORS.imageUndecodable(`The image cannot be decoded: ${detail}`, [
    { field: 'image', message: 'is truncated or corrupt' },
  ]);

/**
 * Validates and cleans uploaded images: type by magic bytes, pixel cap from the header alone, then
 * auto-orientation, metadata stripped, and the variants. At most `concurrency` images are decoded at
 * once; the rest wait their turn, so a burst of uploads cannot exhaust memory.
 */
export function createImageProcessor(opts: { maxPixels: number; concurrency: number }) {
  const limit = pLimit(opts.concurrency);
  // libvips' operation cache (process-wide) only helps when the same input is processed again;
  // every upload is new, so it would hold up to 50 MB for nothing.
  sharp.cache(false);

  /** Reads the header only: dimensions and frame count, never the pixels. */
  async function inspect(buf: Buffer, format: ImageFormat) {
    let meta: Metadata;
    try {
      meta = await sharp(buf, { animated: true, limitInputPixels: false }).metadata();
    } catch (err) {
      throw undecodable((err as Error).message);
    }
    if (!meta.width || !meta.height) throw undecodable('it has no dimensions');
    // Formats whose loader libvips picked by content must agree with the magic bytes.
    const loaded = meta.format === 'heif' ? 'avif' : meta.format;
    if (loaded !== format) throw undecodable(`it starts as ${format} but decodes as ${meta.format}`);
    const frames = meta.pages ?? 1;
    const pixels = meta.width * (meta.pageHeight ?? meta.height / frames) * frames;
    if (pixels > opts.maxPixels) {
      throw ERRORS.imageTooManyPixels(
        `The image has ${pixels} pixels (${meta.width}×${meta.pageHeight ?? meta.height}` +
          `${frames > 1 ? ` × ${frames} frames` : ''}); at most ${opts.maxPixels} are accepted`,
        [{ field: 'image', message: `more than ${opts.maxPixels} pixels` }],
      );
    }
    return { animated: frames > 1 };
  }

  async function encode(buf: Buffer, format: ImageFormat, animated: boolean): Promise<ProcessedImage> {
    // 'warning' refuses any damaged pixel data (a truncated file, a corrupt segment) rather than
    // storing a half-grey picture. The pixel cap is enforced again by libvips itself.
    const input = sharp(buf, { failOn: 'warning', limitInputPixels: opts.maxPixels, animated }).autoOrient();
    const still = animated
      ? sharp(buf, { failOn: 'warning', limitInputPixels: opts.maxPixels }).autoOrient()
      : input;
    try {
      const [original, medium, thumbnail] = await Promise.all([
        // Without keepMetadata() sharp writes no EXIF, XMP, IPTC or ICC: GPS and camera data go.
        encodeOriginal(input.clone(), format).toBuffer({ resolveWithObject: true }),
        still
          .clone()
          .resize({ width: MEDIUM_WIDTH, withoutEnlargement: true })
          .webp({ quality: 80 })
          .toBuffer(),
        still
          .clone()
          .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'cover' })
          .webp({ quality: 75 })
          .toBuffer(),
      ]);
      const { contentType, ext } = FORMATS[format];
      return {
        format,
        contentType,
        width: original.info.width,
        height: original.info.pageHeight ?? original.info.height,
        bytes: original.data.length,
        objects: {
          original: { key: objectKey(original.data, ext), body: original.data, contentType },
          medium: { key: objectKey(medium, 'webp'), body: medium, contentType: 'image/webp' },
          thumbnail: { key: objectKey(thumbnail, 'webp'), body: thumbnail, contentType: 'image/webp' },
        },
      };
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw undecodable((err as Error).message);
    }
  }

  return {
    /** Waiting and in-flight processing, for metrics. */
    pending: () => limit.activeCount + limit.pendingCount,

    /** Checks an upload's bytes: 415 when it is not one of the accepted images, 422 when it cannot be used. */
    async process(buf: Buffer): Promise<ProcessedImage> {
      const format = sniffImageFormat(buf);
      if (!format) {
        throw ERRORS.unsupportedMediaType(
          'The file is not a JPEG, PNG, WebP, GIF or AVIF image (judged by its content, not its name or type)',
          [{ field: 'image', message: 'is not an accepted image format' }],
        );
      }
      const polyglot = polyglotReason(buf, format);
      if (polyglot) {
        throw ERRORS.unsupportedMediaType(`The file is refused: ${polyglot}`, [
          { field: 'image', message: 'is not only an image' },
        ]);
      }
      return limit(async () => {
        const { animated } = await inspect(buf, format);
        return encode(buf, format, animated);
      });
    },
  };
}

export type ImageProcessor = ReturnType<typeof createImageProcessor>;
