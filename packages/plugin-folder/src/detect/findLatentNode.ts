import type { GraphIndex } from './GraphIndex.js';
import { LATENT_PATH_INPUTS, LATENT_SOURCES } from './nodeClasses.js';
import type { SamplerView } from './readSamplers.js';

/**
 * The node that sets the size of what the first sampler makes: walk its latent back (through
 * upscales, encoders …) to the first node with literal width and height. Failing that, the
 * first known empty-latent node of the graph.
 */
export function findLatentNode(
  index: GraphIndex,
  samplers: readonly SamplerView[],
): string | undefined {
  for (const sampler of samplers) {
    const queue = sampler.latent ? [sampler.latent[0]] : [];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const id = queue.shift() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      if (hasLiteralSize(index, id)) return id;
      for (const input of LATENT_PATH_INPUTS) {
        const link = index.link(id, input);
        if (link) queue.push(link[0]);
      }
    }
  }
  return index.order.find(
    (id) => LATENT_SOURCES.has(index.classOf(id) ?? '') && hasLiteralSize(index, id),
  );
}

function hasLiteralSize(index: GraphIndex, id: string): boolean {
  const inputs = index.node(id)?.inputs;
  return typeof inputs?.['width'] === 'number' && typeof inputs['height'] === 'number';
}
