import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type RunningConsole } from '../src/index.js';
import { launchChromium, openPage, screenshot } from './helpers/browser.js';
import { nonLoopbackAddress, type LocalAddress } from './helpers/nonLoopbackAddress.js';
import { pauseAtFirstStep } from './helpers/pauseMidRun.js';
import { startConsoleFixture, type ConsoleFixture } from './helpers/startConsoleFixture.js';

const BROWSER_TEST_MS = 90_000;
const discord = { platform: 'discord', userId: '42', displayName: 'Ada', chatId: '#art' };
const telegram = { platform: 'telegram', userId: '7', displayName: 'Grace' };

/** The Live card of a generation, and the Try-it card (its own id prefix). */
const liveCard = (page: Page, id: string) =>
  page.locator(`#live-list [data-generation-id="${id}"]`);
const tryCard = (page: Page, id: string) =>
  page.locator(`#try-result [data-generation-id="${id}"]`);
const withStatus = (page: Page, selector: string, status: string) =>
  page.locator(`${selector}[data-status="${status}"]`).waitFor();

describe('the console in a real browser (Debian chromium)', () => {
  let fixture: ConsoleFixture;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    fixture = await startConsoleFixture({ operatorName: 'Ops' });
    browser = await launchChromium();
    ({ page, errors } = await openPage(browser));
    await page.goto(fixture.console.url);
    await page.locator('#connection[data-state="live"]').waitFor();
  }, BROWSER_TEST_MS);
  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
  });

  it(
    'shows the backends and a form generated from the workflow definitions',
    async () => {
      await page.locator('#backend-list [data-backend="sim"][data-state="open"]').waitFor();
      const backend = page.locator('#backend-list [data-backend="sim"]');
      expect(await backend.textContent()).toContain('Version');
      expect(await backend.getByText(/^Models: \d+ checkpoints/).count()).toBe(1);

      await page.getByLabel('prompt (required)').waitFor();
      expect(await page.getByLabel('checkpoint').isVisible()).toBe(false); // under "More settings"
      const checkpoints = await page.locator('#try-checkpoint option').allTextContents();
      const live = await fixture.relay.choicesFor('image.txt2img', 'checkpoint');
      expect(checkpoints.slice(1)).toEqual(live);
      await screenshot(page, '01-overview');
      expect(errors).toEqual([]);
    },
    BROWSER_TEST_MS,
  );

  it(
    'runs a generation from the form: problems in words, then queue position, progress and the image',
    async () => {
      await page.getByLabel('prompt (required)').fill('a lighthouse at dusk');
      await page.getByText(/^More settings/).click();
      await page.getByLabel('steps').fill('500');
      await page.getByRole('button', { name: 'Generate' }).click();
      const summary = page.locator('#try-summary');
      await summary.getByText('steps must be at most 100 (got 500)').waitFor();
      expect(await page.getByLabel('steps').getAttribute('aria-invalid')).toBe('true');
      expect(await page.evaluate('document.activeElement.id')).toBe('try-summary');
      await screenshot(page, '02-form-problems');

      fixture.sim.holdExecution();
      const ahead = await fixture.relay.generate(
        'image.txt2img',
        { prompt: 'first in line', steps: 2 },
        { origin: discord },
      );
      await page.getByLabel('steps').fill('6');
      await page.getByLabel('width').fill('256');
      await page.getByLabel('height').fill('256');
      await page.getByRole('button', { name: 'Generate' }).click();
      const card = page.locator('#try-result .card').first();
      await card.waitFor();
      expect(await summary.isHidden()).toBe(true);
      const id = (await card.getAttribute('data-generation-id')) ?? '';
      const handle = fixture.relay.handle(id);
      expect(handle?.record().origin).toMatchObject({ platform: 'console', displayName: 'Ops' });

      await withStatus(page, `#try-result [data-generation-id="${id}"]`, 'queued');
      await tryCard(page, id).getByText('2nd in the queue · 1 ahead of it').waitFor();
      await liveCard(page, id).getByText('2nd in the queue').waitFor();
      await screenshot(page, '03-queued');

      const pause = pauseAtFirstStep(fixture.sim, handle?.promptId ?? '');
      fixture.sim.releaseExecution();
      await ahead.done;
      await pause.paused;
      await withStatus(page, `#try-result [data-generation-id="${id}"]`, 'running');
      await tryCard(page, id).locator('.phase', { hasText: 'sampling' }).waitFor();
      await tryCard(page, id).locator('img.preview:visible').waitFor();
      const bar = tryCard(page, id).getByRole('progressbar');
      expect(Number(await bar.getAttribute('value'))).toBeGreaterThan(0);
      expect(await bar.getAttribute('aria-valuetext')).toMatch(/^\d+%, sampling/);
      await screenshot(page, '04-progress');

      pause.resume();
      await withStatus(page, `#try-result [data-generation-id="${id}"]`, 'succeeded');
      const image = tryCard(page, id).locator('.output img');
      await image.waitFor();
      // The image itself arrived, decoded at the size the form asked for.
      expect(
        await image.evaluate((img: { decode(): Promise<void>; naturalWidth: number }) =>
          img.decode().then(() => img.naturalWidth),
        ),
      ).toBe(256);
      await page.locator(`#history-list [data-generation-id="${id}"]`).waitFor();
      await screenshot(page, '05-result');
      expect(errors).toEqual([]);
    },
    BROWSER_TEST_MS,
  );

  it(
    'cancels a generation from the page, with the keyboard',
    async () => {
      fixture.sim.holdExecution();
      const waiting = await fixture.relay.generate(
        'image.txt2img',
        { prompt: 'never mind' },
        { origin: discord },
      );
      const cancel = liveCard(page, waiting.id).getByRole('button', { name: 'Cancel never mind' });
      await cancel.focus();
      await page.keyboard.press('Enter');
      await withStatus(page, `#live-list [data-generation-id="${waiting.id}"]`, 'cancelled');
      expect((await waiting.done).status).toBe('cancelled');
      await screenshot(page, '06-cancelled');
      fixture.sim.releaseExecution();
    },
    BROWSER_TEST_MS,
  );

  it(
    'shows a generation another frontend started, live, with who asked and where; filters',
    async () => {
      const handle = await fixture.relay.generate(
        'image.txt2img',
        { prompt: 'from discord', steps: 3 },
        { origin: discord },
      );
      await liveCard(page, handle.id).getByText('Ada on discord, in #art').waitFor();
      await withStatus(page, `#live-list [data-generation-id="${handle.id}"]`, 'succeeded');
      await liveCard(page, handle.id).locator('.output img').waitFor();

      await page.getByLabel('Frontend').selectOption('discord');
      const shown = await page.locator('#live-list .card:visible').allTextContents();
      expect(shown.length).toBeGreaterThan(0);
      for (const text of shown) expect(text).toContain('on discord');
      await screenshot(page, '07-other-frontend');
      await page.getByLabel('Frontend').selectOption('');
    },
    BROWSER_TEST_MS,
  );

  it(
    'recovers from a cut event stream by itself, resyncing from a fresh snapshot, without a reload',
    async () => {
      await page.evaluate('window.loadedOnce = true'); // gone if the page were reloaded
      const snapshots = Number(await page.locator('#connection').getAttribute('data-snapshots'));

      fixture.sim.holdExecution();
      const running = await fixture.relay.generate(
        'image.txt2img',
        { prompt: 'across the cut', steps: 4 },
        { origin: telegram },
      );
      const pause = pauseAtFirstStep(fixture.sim, running.promptId);
      fixture.sim.releaseExecution();
      await pause.paused;
      await withStatus(page, `#live-list [data-generation-id="${running.id}"]`, 'running');

      // The stream goes away for a while: whatever happens meanwhile, the page cannot hear it.
      expect(fixture.console.suspendLiveStream()).toBe(1);
      await page.locator('#connection[data-state="reconnecting"]').waitFor();
      await screenshot(page, '08-reconnecting');
      pause.resume();
      expect((await running.done).status).toBe('succeeded');
      const unseen = await fixture.relay.generate(
        'image.txt2img',
        { prompt: 'while away', steps: 2 },
        { origin: telegram },
      );
      await unseen.done;
      expect(await liveCard(page, running.id).getAttribute('data-status')).toBe('running');

      fixture.console.resumeLiveStream();
      await page
        .locator(`#connection[data-snapshots="${snapshots + 1}"][data-state="live"]`)
        .waitFor();
      await withStatus(page, `#live-list [data-generation-id="${running.id}"]`, 'succeeded');
      await liveCard(page, running.id).locator('.output img').waitFor();
      await page.locator(`#history-list [data-generation-id="${unseen.id}"]`).waitFor();
      await screenshot(page, '09-recovered');

      // Cut at once, no pause: it comes back again, and still live.
      expect(fixture.console.disconnectLiveListeners()).toBe(1);
      await page
        .locator(`#connection[data-snapshots="${snapshots + 2}"][data-state="live"]`)
        .waitFor();
      const after = await fixture.relay.generate(
        'image.txt2img',
        { prompt: 'after the cuts', steps: 2 },
        { origin: telegram },
      );
      await withStatus(page, `#live-list [data-generation-id="${after.id}"]`, 'succeeded');
      expect(await page.evaluate('window.loadedOnce')).toBe(true);
      expect(errors).toEqual([]);
    },
    BROWSER_TEST_MS,
  );

  it(
    'is readable on a phone',
    async () => {
      const phone = await openPage(browser, { width: 390, height: 844 });
      await phone.page.goto(fixture.console.url);
      await phone.page.locator('#connection[data-state="live"]').waitFor();
      await phone.page.locator('#history-list .card').first().waitFor();
      const overflow = await phone.page.evaluate(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow).toBe(0);
      await screenshot(phone.page, '10-phone');
      expect(phone.errors).toEqual([]);
      await phone.page.context().close();
    },
    BROWSER_TEST_MS,
  );

  describe('from a non-loopback address, with an access token', () => {
    const token = 'browser-test-token';
    let remote: LocalAddress;
    let guarded: RunningConsole;
    beforeAll(async () => {
      remote = await nonLoopbackAddress();
      guarded = await startConsole(fixture.relay, { port: 0, host: '0.0.0.0', accessToken: token });
    });
    afterAll(async () => {
      await guarded?.stop();
      await remote?.release();
    });

    it(
      'asks for the token, then the page and its event stream work with the session cookie',
      async () => {
        const { page: away, errors: awayErrors } = await openPage(browser);
        await away.goto(`http://${remote.address}:${guarded.port}/`);
        await away.getByLabel('Access token').waitFor();
        expect(new URL(away.url()).pathname).toBe('/login');
        await away.getByLabel('Access token').fill('wrong');
        await away.getByRole('button', { name: 'Log in' }).click();
        await away
          .getByRole('alert')
          .getByText('That access token is not the right one.')
          .waitFor();
        await screenshot(away, '11-login-refused');

        await away.getByLabel('Access token').fill(token);
        await away.getByRole('button', { name: 'Log in' }).click();
        await away.locator('#connection[data-state="live"]').waitFor();
        const handle = await fixture.relay.generate(
          'image.txt2img',
          { prompt: 'seen from afar', steps: 2 },
          { origin: discord },
        );
        await withStatus(away, `#live-list [data-generation-id="${handle.id}"]`, 'succeeded');
        await liveCard(away, handle.id).locator('.output img').waitFor();
        await screenshot(away, '12-remote-with-token');
        expect(awayErrors).toEqual([]);
        await away.context().close();
      },
      BROWSER_TEST_MS,
    );
  });
});
