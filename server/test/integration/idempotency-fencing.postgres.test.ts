// A holder that outlives its lease is fenced: while the first upload under a key is stuck inside its
// transaction (its storage write held), a retry is told to wait (409), then past the lease takes the
// key over; the first one's answer then matches no claim, so its transaction (the image row) rolls
// back, and the profile gets the image once, from the retry. Real PostgreSQL only: the embedded
// engine runs one statement at a time, so nothing else runs while a transaction is open there.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ObjectStorage } from '../../src/storage/storage.js';
import { testApp } from '../kit/app.js';
import { eventually } from '../kit/eventually.js';
import { bearer } from '../kit/identity.js';
import { imageForm, photoJpeg } from '../kit/images.js';
import { openTestPostgres, servicesUnavailable } from '../kit/services.js';

const skip = await servicesUnavailable('postgres');

describe('Idempotency-Key: a holder past its lease is fenced (PostgreSQL)', { skip }, () => {
  it('the retry that took the key over makes the image; the stale holder rolls back with a 409', async (ctx) => {
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let held = 0;
    const t = await testApp(ctx, {
      env: { IDEMPOTENCY_LEASE: '1s' },
      testDatabase: (observe) => openTestPostgres('idemfence', observe),
      wrapStorage: (inner): ObjectStorage => ({
        ...inner,
        async put(key, body, contentType) {
          held++;
          await gate;
          return inner.put(key, body, contentType);
        },
      }),
    });
    const auth = await bearer(`admin-${randomUUID()}@example.com`, { admin: true });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/profiles',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'Fenced', email: `${randomUUID()}@example.com` }),
    });
    const url = `/api/v1/profiles/${created.json().id}/images`;
    const jpeg = await photoJpeg(64, 48, 7);
    const upload = () => {
      const form = imageForm(jpeg);
      return t.app.inject({
        method: 'POST',
        url,
        headers: { ...auth, 'content-type': form.contentType, 'idempotency-key': 'fenced-upload' },
        payload: form.body,
      });
    };

    const stale = upload();
    await eventually('the first upload is inside its transaction', () => held > 0);
    const early = await upload();
    assert.equal(early.statusCode, 409, early.body);
    assert.equal(early.json().code, 'idempotency_key_in_use');
    assert.ok(Number(early.headers['retry-after']) >= 1);

    await sleep(1_200);
    const retry = upload();
    await sleep(300); // the retry has taken the key over and waits for the profile's row lock
    open();
    const [first, second] = await Promise.all([stale, retry]);
    assert.equal(first.statusCode, 409, first.body);
    assert.equal(first.json().code, 'idempotency_key_in_use');
    assert.equal(second.statusCode, 201, second.body);
    const images = await t.app.inject({ url, headers: auth });
    assert.deepEqual(
      images.json().map((i: { id: string }) => i.id),
      [second.json().id],
    );
    const replay = await upload();
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.equal(replay.body, second.body);
  });
});
