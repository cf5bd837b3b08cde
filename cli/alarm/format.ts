/** What the `ringmon alarm` commands share: the API's answer to an ack or unack, its fields' options, and one line about it. */

/** POST /api/v1/alarms/ack and /unack answer this (server/routes/alarm-acks.ts). */
export interface AckAnswer {
  readonly series: string;
  readonly state: string;
  readonly acknowledgement: { readonly author: string; readonly comment: string; readonly at: string; readonly until: string | null } | null;
}

/** The API's fields and what sets them, for error messages. */
export const ACK_FIELDS = { 'body/series': 'SERIES', 'body/comment': '--comment', 'body/until': '--expires' };

/** `host.web01.disk (CRITICAL) until 2026-12-01T10:00:00Z` */
export function ackText(a: AckAnswer): string {
  const until = a.acknowledgement?.until;
  return `${a.series} (${a.state}) ${until ? `until ${until} or its next change of state` : 'until its next change of state'}`;
}
