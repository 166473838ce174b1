import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { polyglotReason, sniffImageFormat } from '../../src/media/sniff.js';
import { EMPTY_ZIP, makeImage, pngWithText } from '../kit/images.js';

const ftyp = (major: string, ...compatible: string[]) => {
  const brands = Buffer.from([major, '\0\0\0\0', ...compatible].join(''), 'latin1');
  const box = Buffer.alloc(8 + brands.length + 16);
  box.writeUInt32BE(8 + brands.length, 0);
  box.write('ftyp', 4, 'latin1');
  brands.copy(box, 8);
  return box;
};

describe('sniffImageFormat (magic bytes)', () => {
  it('knows the five accepted formats from real files', async () => {
    for (const format of ['jpeg', 'png', 'webp', 'gif', 'avif'] as const) {
      assert.equal(sniffImageFormat(await makeImage[format](16, 16)), format);
    }
  });

  it('reads AVIF from the ftyp brands, major or compatible, but not HEIC or MP4', () => {
    assert.equal(sniffImageFormat(ftyp('avif', 'mif1', 'miaf')), 'avif');
    assert.equal(sniffImageFormat(ftyp('mif1', 'avif')), 'avif');
    assert.equal(sniffImageFormat(ftyp('avis', 'msf1')), 'avif');
    assert.equal(sniffImageFormat(ftyp('heic', 'mif1', 'heic')), undefined);
    assert.equal(sniffImageFormat(ftyp('isom', 'iso2', 'mp41')), undefined);
    // "avif" as the minor version is not a brand.
    const minor = ftyp('mif1', 'heic');
    minor.write('avif', 12, 'latin1');
    assert.equal(sniffImageFormat(minor), undefined);
  });

  it('refuses everything else, including near misses', () => {
    for (const bytes of [
      Buffer.alloc(0),
      Buffer.from([0xff, 0xd8]),
      Buffer.from('GIF88a'),
      Buffer.from('RIFF\0\0\0\0WAVEfmt '),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      Buffer.from('BM\0\0\0\0'),
      Buffer.from('II*\0'),
      Buffer.from('%PDF-1.7'),
    ]) {
      assert.equal(sniffImageFormat(bytes), undefined, bytes.toString('latin1'));
    }
  });
});

/** Inserts a segment (marker + length + data) into a JPEG right after its SOI. */
const withJpegSegment = (jpeg: Buffer, marker: number, data: string) => {
  const body = Buffer.from(data, 'latin1');
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), head, body, jpeg.subarray(2)]);
};

/** Replaces bytes inside a JPEG's entropy-coded data (after its SOS header), as random data may hold. */
const inJpegScan = (jpeg: Buffer, data: string) => {
  const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]));
  const at = sos + 2 + jpeg.readUInt16BE(sos + 2) + 10;
  const copy = Buffer.from(jpeg);
  copy.write(data, at, 'latin1');
  return copy;
};

describe('polyglotReason', () => {
  it('passes plain images, XMP metadata included', async () => {
    assert.equal(polyglotReason(await makeImage.jpeg(64, 64), 'jpeg'), undefined);
    const xmp = '<?xpacket begin=""?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>';
    assert.equal(polyglotReason(withJpegSegment(await makeImage.jpeg(32, 32), 0xe1, xmp), 'jpeg'), undefined);
  });

  it('finds markup in metadata segments, chunks and extensions, and after the image ends', async () => {
    const jpeg = await makeImage.jpeg(32, 32);
    const cases: [string, Buffer, 'jpeg' | 'png' | 'gif', RegExp][] = [
      ['JPEG comment', withJpegSegment(jpeg, 0xfe, '<SCRIPT src=x>'), 'jpeg', /<script>/],
      ['JPEG APP1', withJpegSegment(jpeg, 0xe1, 'x<svg/onload=alert(1)>'), 'jpeg', /<svg>/],
      ['after the JPEG ends', Buffer.concat([jpeg, Buffer.from('<?php echo 1; ?>')]), 'jpeg', /<\?php>/],
      ['PNG text chunk', pngWithText(await makeImage.png(16, 16), '<html><body>'), 'png', /<html>/],
      [
        'after the PNG ends',
        Buffer.concat([await makeImage.png(16, 16), Buffer.from('<iframe src=x>')]),
        'png',
        /<iframe>/,
      ],
      [
        'after the GIF ends',
        Buffer.concat([await makeImage.gif(16, 16), Buffer.from('<body onload=x>')]),
        'gif',
        /<body>/,
      ],
    ];
    for (const [where, bytes, format, reason] of cases) {
      assert.match(polyglotReason(bytes, format) ?? '(none)', reason, where);
    }
  });

  it('does not search compressed pixel data, where short patterns occur by chance', async () => {
    const jpeg = await makeImage.jpeg(64, 64);
    assert.equal(polyglotReason(inJpegScan(jpeg, '<svg '), 'jpeg'), undefined);
    assert.match(
      polyglotReason(inJpegScan(jpeg, '<svg '), 'png') ?? '',
      /<svg>/,
      'unparsed: all is searched',
    );
  });

  it('names a PDF header in the first kilobyte and a ZIP closing the file', async () => {
    const jpeg = await makeImage.jpeg(32, 32);
    const pdf = Buffer.concat([jpeg.subarray(0, 100), Buffer.from('%PDF-1.5'), jpeg.subarray(100)]);
    assert.match(polyglotReason(pdf, 'jpeg') ?? '', /PDF/);
    assert.match(polyglotReason(Buffer.concat([jpeg, EMPTY_ZIP]), 'jpeg') ?? '', /ZIP/);
  });

  it('ignores a ZIP signature that does not close the file (image data can contain any bytes)', async () => {
    const jpeg = await makeImage.jpeg(32, 32);
    assert.equal(
      polyglotReason(Buffer.concat([jpeg, EMPTY_ZIP, Buffer.from('trailing')]), 'jpeg'),
      undefined,
    );
    assert.equal(polyglotReason(inJpegScan(jpeg, 'PK\x05\x06'), 'jpeg'), undefined);
  });
});
