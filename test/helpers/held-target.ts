/**
 * A web target on 127.0.0.1 for the http slurper that answers `ok` until
 * told to stop answering: from then on it holds each request unanswered
 * (a target gone silent: each run times out), until answering again.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeldTarget {
  /** http://127.0.0.1:<port>/ */
  readonly url: string;
  /** false: requests are held from now on; true: answered again, the held ones too. */
  answer(answering: boolean): void;
  /** Ends the held requests and closes the listener. */
  close(): Promise<void>;
}

export async function startHeldTarget(): Promise<HeldTarget> {
  let answering = true;
  const held: ServerResponse[] = [];
  const target = createServer((_request, response) => {
    if (answering) response.end('ok');
    else held.push(response);
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(target.address() as AddressInfo).port}/`,
    answer: (now) => {
      answering = now;
      if (now) for (const response of held.splice(0)) response.end('ok');
    },
    close: async () => {
      for (const response of held.splice(0)) response.end();
      target.closeAllConnections();
      await new Promise((resolve) => target.close(resolve));
    },
  };
}
