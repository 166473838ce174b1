// End to end, in Debian's Chromium: signed out, then signed in through the development provider's
// own page as an ordinary user and as the admin, in one browser page, in order. Screenshots of
// every page go to artifacts/screenshots (git-ignored), each checked by axe-core; the first-load
// JS of the profiles page is measured from what the browser actually downloads.
import { after, before, describe } from 'node:test';
import { adminScenarios } from './e2e/admin';
import { skipReason } from './e2e/browser';
import { galleryScenarios, ownProfileScenarios } from './e2e/own-profile';
import { sessionScenarios } from './e2e/session';
import { signOutScenarios, taskScenarios } from './e2e/tasks';
import { visitorScenarios } from './e2e/visitor';
import { makeWorld, type World } from './e2e/world';

describe('web client in Chromium', { skip: skipReason() }, () => {
  const world = {} as World;
  before(async () => {
    Object.assign(world, await makeWorld());
  });
  after(async () => {
    await world.browser?.close();
    await world.stack?.stop();
  });

  visitorScenarios(world);
  ownProfileScenarios(world);
  galleryScenarios(world);
  sessionScenarios(world);
  taskScenarios(world);
  signOutScenarios(world);
  adminScenarios(world);
});
