/** What a test reads of a mail the SMTP sink accepted, parsed by mailparser. */
import { simpleParser } from 'mailparser';

export interface ParsedMail {
  readonly subject: string;
  readonly messageId: string;
  /** The From header as written: `ringmon@example.com` or `ringmon <ringmon@example.com>`. */
  readonly from: string;
  readonly text: string;
  readonly html: string;
  readonly attachments: readonly { readonly filename: string; readonly content: string }[];
}

export async function parseMail(raw: string): Promise<ParsedMail> {
  const mail = await simpleParser(raw);
  return {
    subject: mail.subject ?? '',
    messageId: mail.messageId ?? '',
    from: mail.from?.text ?? '',
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : '',
    attachments: mail.attachments.map((a) => ({ filename: a.filename ?? '', content: a.content.toString('utf8') })),
  };
}
