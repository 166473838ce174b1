// How events change what pages show: pure rules, ordered by versions (profiles) and times (tasks).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Profile, Task } from '../lib/api';
import { changedProfile, fresherOf, withoutProfile, withProfile } from '../lib/live/profile-updates';
import { withTask } from '../lib/live/task-updates';
import { fieldsDiffer } from '../lib/profile-fields';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const profile = (id: string, version: number, more: Partial<Profile> = {}): Profile => ({
  id,
  name: `P ${id}`,
  bio: '',
  image_urls: [],
  version,
  created_at: at(0),
  updated_at: at(version),
  ...more,
});

describe('profile changes', () => {
  const page = [profile('b', 2, { email: 'b@example.com' }), profile('a', 1)];
  const where = { created: false, firstPage: true, q: '' };

  it('a newer version replaces the one shown, keeping the email the event leaves out; an older one is dropped', () => {
    const change = { ...profile('b', 3, { name: 'Renamed' }), time: at(3) };
    const [b] = withProfile(page, changedProfile(undefined, change), where);
    assert.deepEqual([b?.name, b?.version, b?.email], ['Renamed', 3, 'b@example.com']);
    assert.equal('time' in (b ?? {}), false);
    assert.equal(withProfile(page, profile('b', 1, { name: 'Old' }), where), page);
  });

  it('a new profile tops the first page when it matches the search, and no other page', () => {
    const made = profile('c', 1, { name: 'Charles' });
    const created = { ...where, created: true };
    assert.deepEqual(
      withProfile(page, made, created).map((p) => p.id),
      ['c', 'b', 'a'],
    );
    assert.equal(withProfile(page, made, { ...created, q: 'CHAR' }).length, 3);
    assert.equal(withProfile(page, made, { ...created, q: 'ada' }), page);
    assert.equal(withProfile(page, made, { ...created, firstPage: false }), page);
    assert.equal(withProfile(page, made, where), page, 'an update of a profile not shown adds nothing');
  });

  it('deletions leave; a read again keeps what an event brought further', () => {
    assert.deepEqual(
      withoutProfile(page, 'b').map((p) => p.id),
      ['a'],
    );
    const shown = [profile('b', 5), profile('a', 1)];
    assert.deepEqual(
      fresherOf([profile('b', 4), profile('a', 2)], shown).map((p) => p.version),
      [5, 2],
    );
  });

  it('tells a change of the edited fields from one of the images only', () => {
    const p = profile('a', 1, { email: 'a@example.com' });
    assert.equal(fieldsDiffer(p, { ...p, version: 2, image_urls: ['/media/x'] }), false);
    assert.equal(fieldsDiffer(p, { ...p, bio: 'new' }), true);
    assert.equal(fieldsDiffer(p, { ...p, email: 'other@example.com' }), true);
  });
});

const task = (id: string, created: number, updated: number, status: Task['status'] = 'scheduled'): Task => ({
  id,
  type: 'echo',
  status,
  payload: null,
  result: null,
  error: null,
  attempts: 0,
  max_attempts: 3,
  run_at: at(created),
  created_at: at(created),
  updated_at: at(updated),
  started_at: null,
  finished_at: null,
});

describe('task changes', () => {
  const list = [task('c', 30, 30), task('a', 10, 10)];

  it('a later state replaces the one shown; an earlier one (a late answer) is dropped', () => {
    const ran = withTask(list, task('c', 30, 31, 'succeeded'), true);
    assert.equal(ran[0]?.status, 'succeeded');
    assert.equal(withTask(ran, task('c', 30, 30, 'scheduled'), true), ran);
  });

  it('a new task goes in its place, newest first; not past the last shown while older pages are unread', () => {
    assert.deepEqual(
      withTask(list, task('b', 20, 20), true).map((t) => t.id),
      ['c', 'b', 'a'],
    );
    assert.deepEqual(
      withTask(list, task('d', 40, 40), true).map((t) => t.id),
      ['d', 'c', 'a'],
    );
    assert.equal(withTask(list, task('b', 20, 20), false), list, 'not when it does not match');
    assert.equal(withTask(list, task('z', 1, 1), true, true), list);
    assert.equal(withTask(list, task('z', 1, 1), true, false).length, 3);
  });

  it('reads the times of events and of answers alike (microseconds and an offset, or Z)', () => {
    const fromEvent = { ...task('c', 30, 31, 'running'), updated_at: '2026-01-01T00:00:31.000123+00:00' };
    assert.equal(withTask(list, fromEvent, true)[0]?.status, 'running');
  });
});
