// End to end, in Debian's Chromium: signed out, then signed in through the development provider's
// own page as an ordinary user and as the admin, in one browser page, in order; then three people
// at once, each in a browser context of their own, seeing one another's changes live; then, against
// an API issuing short-lived tokens, a stream outliving its token. Screenshots of every page go to
// artifacts/screenshots (git-ignored), each checked by axe-core; the first-load JS of the profiles
// page is measured from what the browser actually downloads.
import { after, before, describe } from 'node:test';
import { adminScenarios } from './e2e/admin';
import { skipReason } from './e2e/browser';
import {
  liveEditScenarios,
  liveListScenarios,
  liveProfileScenarios,
  type People,
  streamEndScenarios,
} from './e2e/live-profiles';
import { liveTaskScenarios } from './e2e/live-tasks';
import { galleryScenarios, ownProfileScenarios } from './e2e/own-profile';
import { sessionScenarios } from './e2e/session';
import { signOutScenarios, taskScenarios } from './e2e/tasks';
import { SHORT_TOKEN_TTL, tokenExpiryScenarios } from './e2e/token-expiry';
import { visitorScenarios } from './e2e/visitor';
import { makeWorld, type World } from './e2e/world';

/** A world for the scenarios of one describe(), made before them and ended after. */
function worldFor(...args: Parameters<typeof makeWorld>): World {
  const world = {} as World;
  before(async () => {
    Object.assign(world, await makeWorld(...args));
  });
  after(async () => {
    await world.browser?.close();
    await world.stack?.stop();
  });
  return world;
}

describe('web client in Chromium', { skip: skipReason() }, () => {
  const world = worldFor();
  visitorScenarios(world);
  ownProfileScenarios(world);
  galleryScenarios(world);
  sessionScenarios(world);
  taskScenarios(world);
  signOutScenarios(world);
  adminScenarios(world);

  const people = {} as People;
  liveProfileScenarios(world, people);
  liveEditScenarios(world, people);
  liveListScenarios(world, people);
  liveTaskScenarios(world, people);
  streamEndScenarios(world);
});

describe(`live updates with ${SHORT_TOKEN_TTL} access tokens`, { skip: skipReason() }, () => {
  tokenExpiryScenarios(worldFor({ AUTH_DEV_ACCESS_TOKEN_TTL: SHORT_TOKEN_TTL }, false));
});
