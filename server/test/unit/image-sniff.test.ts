import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { polyglotReason, sniffImageFormat } from '../../src/media/sniff.js';
import { EMPTY_ZIP, makeImage } from '../helpers/images.js';

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

describe('polyglotReason', () => {
  it('passes plain images, XMP metadata included', async () => {
    assert.equal(polyglotReason(await makeImage.jpeg(64, 64)), undefined);
    const xmp = Buffer.from('<?xpacket begin=""?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>');
    assert.equal(polyglotReason(Buffer.concat([await makeImage.png(32, 32), xmp])), undefined);
  });

  it('names markup a browser would run, a PDF header, and a ZIP closing the file', async () => {
    const jpeg = await makeImage.jpeg(32, 32);
    assert.match(polyglotReason(Buffer.concat([jpeg, Buffer.from('<SCRIPT src=x>')])) ?? '', /<script>/);
    assert.match(polyglotReason(Buffer.concat([jpeg, Buffer.from('<svg/onload=alert(1)>')])) ?? '', /<svg>/);
    assert.match(polyglotReason(Buffer.concat([jpeg, Buffer.from('<?php echo 1; ?>')])) ?? '', /<\?php>/);
    assert.match(
      polyglotReason(Buffer.concat([jpeg.subarray(0, 100), Buffer.from('%PDF-1.5'), jpeg.subarray(100)])) ??
        '',
      /PDF/,
    );
    assert.match(polyglotReason(Buffer.concat([jpeg, EMPTY_ZIP])) ?? '', /ZIP/);
  });

  it('ignores a ZIP signature that does not close the file (image data can contain any bytes)', async () => {
    const jpeg = await makeImage.jpeg(32, 32);
    assert.equal(polyglotReason(Buffer.concat([jpeg, EMPTY_ZIP, Buffer.from('trailing')])), undefined);
    assert.equal(
      polyglotReason(Buffer.concat([jpeg.subarray(0, 50), Buffer.from('PK\x05\x06'), jpeg.subarray(50)])),
      undefined,
    );
  });
});
