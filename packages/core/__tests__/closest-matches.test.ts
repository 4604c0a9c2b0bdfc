import { describe, expect, it } from 'vitest';
import { closestMatches, didYouMean } from '../src/index.js';

describe('suggestions for a mistyped name', () => {
  it('offers the names a few edits away, nearest first, swaps counting once', () => {
    expect(closestMatches('stepz', ['steps', 'seed', 'sampler'])).toEqual(['steps']);
    expect(closestMatches('sede', ['steps', 'seed', 'sampler'])).toEqual(['seed']);
    expect(closestMatches('cosnole', ['console', 'servers'])).toEqual(['console']);
  });

  it('offers a name the word begins, and nothing for an unrelated word', () => {
    expect(closestMatches('gen', ['generate', 'status'])).toEqual(['generate']);
    expect(closestMatches('banana', ['steps', 'seed'])).toEqual([]);
  });

  it('says it in words', () => {
    expect(didYouMean('stpes', ['steps', 'seed'])).toBe('did you mean steps?');
    expect(didYouMean('sed', ['seed', 'set'], (name) => `--${name}`)).toBe(
      'did you mean --seed or --set?',
    );
    expect(didYouMean('banana', ['steps'])).toBe('');
  });
});
