import type { ComfyRelay, Frontend, RelayEvent } from '@comfyrelay/core';
import { EventStreamServer } from '@comfyrelay/event-stream';
import { CliError, messageOf } from '../errors.js';
import { isAddressInUse } from '../simulator.js';

/** The dashboards' event stream as one of the platform's frontends: snapshot, then every event. */
export class EventStreamFrontend implements Frontend {
  readonly name = 'event stream';
  private readonly server: EventStreamServer<RelayEvent>;
  private listening: string | undefined;

  constructor(
    relay: ComfyRelay,
    private readonly port: number,
    private readonly host?: string,
  ) {
    this.server = new EventStreamServer<RelayEvent>({
      source: relay,
      snapshot: () => relay.snapshot(),
      encode: relay.encodeEvent,
    });
  }

  /** `ws://host:port/events`, once started. */
  get url(): string {
    if (this.listening === undefined) throw new Error('the event stream is not started');
    return this.listening;
  }

  async start(): Promise<void> {
    try {
      this.listening = (await this.server.listen(this.port, this.host)).url;
    } catch (error) {
      throw new CliError(
        isAddressInUse(error)
          ? `the event stream port ${this.port} is in use; pass --events-port P (0 = any free port) or set COMFYRELAY_EVENTS_PORT`
          : `could not start the event stream: ${messageOf(error)}`,
      );
    }
  }

  stop(): Promise<void> {
    return this.server.close();
  }
}
