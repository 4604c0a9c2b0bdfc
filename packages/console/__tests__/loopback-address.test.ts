import { describe, expect, it } from 'vitest';
import { isLoopbackAddress } from '../src/index.js';

describe('isLoopbackAddress', () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', '::FFFF:127.9.9.9'])(
    '%s is loopback',
    (address) => expect(isLoopbackAddress(address)).toBe(true),
  );
  it.each([
    '192.0.2.2',
    '::ffff:192.0.2.2',
    '10.0.0.1',
    '0.0.0.0',
    '::',
    'fd00::2',
    '128.0.0.1',
    '127.example',
    '',
    undefined,
  ])('%s is not', (address) => expect(isLoopbackAddress(address)).toBe(false));
});
