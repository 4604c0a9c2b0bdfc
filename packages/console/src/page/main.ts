import { load } from './api.js';
import { byId } from './dom.js';
import { EventConnection, type ConnectionState } from './EventConnection.js';
import { LiveState } from './LiveState.js';
import { BackendsView } from './views/BackendsView.js';
import { HistoryView } from './views/HistoryView.js';
import { LiveView } from './views/LiveView.js';
import { TryItView } from './views/TryItView.js';
import { TERMINAL, type GenerationRecord, type WorkflowDescription } from './wire.js';

const STATE_WORDS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Connection lost; reconnecting…',
};

/** Events after which a backend's queue length has changed. */
const QUEUE_MOVES: ReadonlySet<string> = new Set([
  'queued',
  'started',
  'succeeded',
  'failed',
  'cancelled',
]);

async function start(): Promise<void> {
  const { workflows } = await load<{ workflows: WorkflowDescription[] }>('/api/workflows');
  const titles = new Map(workflows.map((workflow) => [workflow.id, workflow.title]));
  const titleOf = (id: string | undefined) =>
    id === undefined ? 'Generation' : (titles.get(id) ?? id);

  const live = new LiveState();
  new LiveView(live, titleOf);
  new TryItView(workflows, live, titleOf);
  const history = new HistoryView(titleOf);
  const backends = new BackendsView();
  live.listen((change) => {
    if (change.kind === 'generation' && QUEUE_MOVES.has(change.event)) backends.refresh();
    if (
      change.kind === 'generation' &&
      TERMINAL.has(change.generation.record.status) &&
      change.event !== 'snapshot'
    )
      history.refresh();
    if (change.kind === 'backend') {
      backends.showState(change.backend.id, change.backend.state);
      if (change.backend.state === 'open') backends.refresh();
    }
  });

  const status = byId('connection');
  let snapshots = 0;
  const connection = new EventConnection({
    snapshot(snapshot) {
      snapshots += 1;
      status.dataset['snapshots'] = String(snapshots);
      status.textContent = snapshots > 1 ? `Live (reconnected ${snapshots - 1}×)` : 'Live';
      const vanished = live.resync(snapshot);
      // They ended while we were away: their final records come from the API.
      for (const id of vanished)
        void load<{ generation: GenerationRecord }>(
          `/api/generations/${encodeURIComponent(id)}`,
        ).then(({ generation }) => live.refresh(generation));
      history.refresh();
      backends.refresh();
    },
    event: (event) => live.apply(event),
    state(state) {
      status.dataset['state'] = state;
      if (state !== 'live') status.textContent = STATE_WORDS[state];
    },
    refused: () => location.assign('/login?next=/'),
  });
  connection.connect();
}

void start().catch((error: unknown) => {
  const status = byId('connection');
  status.dataset['state'] = 'failed';
  status.textContent = `The console could not start: ${error instanceof Error ? error.message : String(error)}`;
});
