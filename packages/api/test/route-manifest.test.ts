import { describe, expect, it } from 'vitest';
import { routeManifest } from '../src/routes/manifest.ts';
import { routesOfGroups } from '../src/routes/manifest-source.ts';

// The app registers each route group from this list without loading the group (http/lazy-routes.ts):
// a route added, removed or moved without regenerating it would answer 404 or reach the wrong group.
describe('the route manifest', () => {
  it('lists exactly the routes the route groups declare, in their order', async () => {
    expect(routeManifest, 'regenerate it: tsx packages/api/scripts/route-manifest.ts').toEqual(
      await routesOfGroups(),
    );
  });
});
