/**
 * /api/v1/notifications (operator role): the outbox and the log of
 * everything sent, newest first — what went to whom, when, and what is
 * still being retried and why.
 *
 * Operator, not viewer: each entry names its recipient's address (people's
 * e-mail addresses, webhook URLs that are often secrets themselves), and
 * viewer tokens go to dashboards, Grafana and scrapers, which need none of
 * that, while auth.openReads lets anyone read as a viewer. The people on
 * call, who hold operator tokens, are the ones who ask whether a notice
 * went out and why it failed.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NOTIFICATION_STATUSES, type Notifier } from '../notify/index.js';
import { Nullable, TimeOut, timeOut } from './schema-parts.js';

/** What the route needs of the notifier. */
export type NotificationLog = Pick<Notifier, 'list'>;

const NotificationOut = Type.Object({
  id: Type.Integer(),
  channel: Type.Union([Type.Literal('email'), Type.Literal('webhook')]),
  recipient: Type.String({ description: 'the recipients the message was made for: names of alarms.recipients and addresses from node metadata, comma-separated' }),
  to: Type.String({ description: 'the To addresses (comma-separated), or the webhook URL' }),
  cc: Type.String({ description: "the Cc addresses, comma-separated; '' for none" }),
  subject: Type.String(),
  status: Type.Enum(NOTIFICATION_STATUSES, { description: 'pending: queued or being retried; sent; failed: refused for good (see lastError)' }),
  createdAt: TimeOut,
  sentAt: Nullable(TimeOut, 'null until sent'),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String(), 'why the last attempt failed'),
  notices: Type.Integer({ description: 'alarm notices in the message' }),
});

export const notificationRoutes: FastifyPluginAsyncTypebox<{ readonly notifications: NotificationLog }> = async (app, options) => {
  app.get(
    '/notifications',
    {
      onRequest: app.requireRole('operator'),
      schema: {
        summary: 'Notifications queued, sent and failed, newest first',
        tags: ['alarms'],
        querystring: Type.Object({
          status: Type.Optional(Type.Enum(NOTIFICATION_STATUSES)),
          before: Type.Optional(Type.Integer({ minimum: 1, description: 'only ids below this (the next page)' })),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: { 200: Type.Object({ notifications: Type.Array(NotificationOut) }) },
      },
    },
    async (request) => {
      const rows = await options.notifications.list(request.query);
      return { notifications: rows.map((n) => ({ ...n, createdAt: timeOut(n.createdAt), sentAt: n.sentAt === null ? null : timeOut(n.sentAt) })) };
    },
  );
};
