import { describe, expect, it } from 'vitest';
import { stageNames } from '../../infra/stage-config.ts';
import { synthStage } from './synth.ts';

/**
 * Asset hashes change with every edit of the bundled code; the snapshot records the infrastructure,
 * so they are replaced. A change to the snapshot is a change to what gets deployed: review it.
 */
const normalize = (template: unknown) =>
  JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}/g, '[asset-hash]'));

describe.each(stageNames)('synthesized template (%s)', (stage) => {
  it('matches the reviewed snapshot', () => {
    const template = normalize(synthStage(stage).template.toJSON());
    expect(JSON.stringify(template)).not.toMatch(/[0-9a-f]{64}/);
    expect(template).toMatchSnapshot();
  });
});
