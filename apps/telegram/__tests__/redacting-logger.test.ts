import { describe, expect, it } from 'vitest';
import { redactedError, redactingLogger } from '../src/logging/redactingLogger.js';
import { recordingLogger } from './helpers/logs.js';

const TOKEN = '123456:SECRET-token';

describe('the token is never logged', () => {
  it('hides it in messages, in context and in error lines', () => {
    const sink = recordingLogger();
    const logger = redactingLogger(sink, TOKEN);
    logger.warn(`request to https://api.telegram.org/bot${TOKEN}/getMe failed`, {
      error: new Error(`at /bot${TOKEN}/sendPhoto`).message,
      nested: { url: `/file/bot${TOKEN}/photos/1.jpg` },
    });
    expect(sink.lines).toHaveLength(1);
    expect(sink.lines[0]).not.toContain(TOKEN);
    expect(sink.lines[0]).toContain('/bot<bot token>/getMe');
    expect(redactedError(new Error(`fetch ${TOKEN} failed`), TOKEN)).toBe(
      'fetch <bot token> failed',
    );
  });
});
