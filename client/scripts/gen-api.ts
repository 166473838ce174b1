// `npm run gen:api -w client` writes lib/api.gen.ts from the API's OpenAPI document;
// `npm run gen:api -w client -- --check` writes nothing and exits 1 when the committed file is stale
// (test/api-gen.test.ts makes the same comparison in `npm test`).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { GENERATED, generateApiTypes, staleness } from './openapi-types';

const fresh = await generateApiTypes();
if (process.argv.includes('--check')) {
  const why = staleness(fresh, existsSync(GENERATED) ? readFileSync(GENERATED, 'utf8') : undefined);
  if (why) {
    console.error(why);
    process.exit(1);
  }
  console.log('client/lib/api.gen.ts is up to date');
} else {
  writeFileSync(GENERATED, fresh);
  console.log('wrote client/lib/api.gen.ts');
}
