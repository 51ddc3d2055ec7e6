/** The project's own labelled example pairs (examples/pairs), as training pairs with their bodies. */
import { readBodies, readStances, type Bodies } from '../../src/adapters/fs/fnc-csv.js';
import type { Label } from '../../src/core/labels.js';

export async function examplePairs(): Promise<{
  bodies: Bodies;
  pairs: { headline: string; bodyId: string; label: Label }[];
}> {
  const bodies = await readBodies('examples/pairs/bodies.csv');
  const rows = await readStances('examples/pairs/stances.csv', { bodies, stance: 'required' });
  return {
    bodies,
    pairs: rows.map((r) => ({ headline: r.headline, bodyId: r.bodyId, label: r.stance as Label })),
  };
}
