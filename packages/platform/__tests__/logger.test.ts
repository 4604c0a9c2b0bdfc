import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createPlatformLogger, REDACTED, type PlatformLoggerOptions } from '../src/index.js';

function capture(options: Omit<PlatformLoggerOptions, 'destination'>) {
  const destination = new PassThrough();
  let text = '';
  destination.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const logger = createPlatformLogger({ ...options, destination });
  return { logger, text: () => text };
}

const TOKEN = 'MTAxNzg5.GhJk-l.abcdefghijklmnopqrstuvwx';
const PASSWORD = 'pa"ss\\word-42';

describe('the platform log', () => {
  it('writes JSON lines with level, time and context when not on a terminal', () => {
    const { logger, text } = capture({ level: 'info', format: 'auto', secrets: [] });
    logger.debug('not shown');
    logger.info('connected', { backend: 'gpu-1' });
    const lines = text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'connected', backend: 'gpu-1' });
    expect(typeof lines[0]?.['time']).toBe('number');
  });

  it('writes for people when asked to be pretty', () => {
    const { logger, text } = capture({ level: 'debug', format: 'pretty', secrets: [] });
    logger.warn('server gpu-1 is unreachable', { attempt: 3 });
    expect(text()).toMatch(/WARN.*server gpu-1 is unreachable/);
    expect(text()).toMatch(/attempt: 3/);
  });

  it('never writes a secret: in messages, in URLs in errors, in context, JSON-escaped or not', () => {
    for (const format of ['json', 'pretty'] as const) {
      const { logger, text } = capture({ level: 'debug', format, secrets: [TOKEN, PASSWORD] });
      logger.info(`logging in with ${TOKEN}`);
      logger.error('request failed', {
        error: `GET https://api.telegram.org/bot${TOKEN}/getMe: 401`,
      });
      logger.warn('auth', { server: { password: 'anything-here' }, header: `Basic ${PASSWORD}` });
      logger.debug('url', { url: `http://ops:${encodeURIComponent(PASSWORD)}@gpu:8188` });
      const written = text();
      expect(written).not.toContain(TOKEN);
      expect(written).not.toContain('pa"ss');
      expect(written).not.toContain('word-42');
      expect(written).not.toContain('anything-here');
      expect(written).toContain(REDACTED);
    }
  });
});
