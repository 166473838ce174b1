// An image chosen, previewed and uploaded on one's profile page, as a person does it.
import type { Page } from 'playwright-core';
import sharp from 'sharp';

/** A `width`×`height` image of one colour (PNG or JPEG by the name), uploaded through the page. */
export async function uploadImage(page: Page, name: string, colour: string, width: number, height: number) {
  const image = sharp({ create: { width, height, channels: 3, background: colour } });
  const buffer = await (name.endsWith('.png') ? image.png() : image.jpeg()).toBuffer();
  const mimeType = name.endsWith('.png') ? 'image/png' : 'image/jpeg';
  await page.getByLabel(/Add an image/).setInputFiles({ name, mimeType, buffer });
  await page.getByAltText('Preview of the chosen file').waitFor();
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.getByText(`Uploaded ${name} (${width}×${height}).`).waitFor();
}
